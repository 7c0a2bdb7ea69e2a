/**
 * Grades one hand-in by re-running its lab: a fresh world from the learner's own seed, the
 * learner's editable files and outputs put in it, the lab's checks run. The report in the
 * hand-in is never trusted: it is only compared with the re-run, and a claim the re-run does
 * not back is named. Files the lab does not let a learner hand in are ignored and named.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { findLab } from '../labs/registry.ts';
import type { CheckReport } from '../checks/types.ts';
import { DEFAULT_USERS } from '../world/dataset/generate.ts';
import { prepareGradingLab } from './grading-lab.ts';
import { DATABASE_FILES, isHandInPath } from './hand-in-format.ts';
import type { HandIn } from './archive-reader.ts';

export type GradeStatus = 'passed' | 'passed-with-help' | 'failed' | 'refused';

export interface GradeFailure {
  id: string;
  title: string;
  reason: string;
}

export interface GradeResult {
  /** Where the hand-in came from (a file name, an upload id). */
  source: string;
  learner: { id: string; name?: string };
  lab: string;
  labTitle: string;
  seed?: number;
  status: GradeStatus;
  passedCount: number;
  total: number;
  failures: GradeFailure[];
  /** Forgery, copying and ignored files, in words; also why a hand-in was refused. */
  notes: string[];
  help?: { hintsShown: number; solutionShown: boolean };
  handedInAt?: string;
  gradedAt: string;
  durationMs: number;
}

export class GradeRefused extends Error {
  override name = 'GradeRefused';
}

/** Which handed-in files go into the re-run, and which are ignored (named in the result). */
export function selectFiles(lab: { editable: readonly string[]; kind: 'attack' | 'fix' }, files: Map<string, Uint8Array>): { used: Map<string, Uint8Array>; ignored: string[] } {
  const used = new Map<string, Uint8Array>();
  const ignored: string[] = [];
  for (const [path, bytes] of files) {
    if (isHandInPath(path, lab)) used.set(path, bytes);
    else ignored.push(path);
  }
  return { used, ignored: ignored.sort() };
}

/** Writes a file under `root`, never outside it (paths were checked already; this is the last guard). */
function writeInside(root: string, path: string, bytes: Uint8Array): void {
  const target = resolve(root, path);
  if (!target.startsWith(root + sep)) throw new GradeRefused(`the file "${path}" would land outside the lab folder`);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, bytes);
}

const START_TIMEOUT = /did not become ready within/;

export function startTimedOut(report: CheckReport): boolean {
  return report.results.some((r) => r.id === 'services-start' && !r.pass && START_TIMEOUT.test(r.reason));
}

/** Claims in the handed-in report that the re-run does not back. */
export function overclaims(claimed: CheckReport | undefined, rerun: CheckReport): string[] {
  if (!claimed) return [];
  const rerunById = new Map(rerun.results.map((r) => [r.id, r]));
  const notes: string[] = [];
  const claimedPasses = claimed.results.filter((r) => r && r.pass === true && typeof r.id === 'string');
  const unbacked = claimedPasses.filter((r) => rerunById.get(r.id)?.pass !== true);
  if (unbacked.length > 0) {
    const named = unbacked.slice(0, 3).map((r) => `"${rerunById.get(r.id)?.title ?? r.id}"`).join(', ');
    notes.push(`the report handed in claims ${unbacked.length} check(s) passed that fail when re-run: ${named}${unbacked.length > 3 ? ', …' : ''}`);
  }
  if (claimed.passed === true && !rerun.passed && unbacked.length === 0) notes.push('the report handed in claims the lab passed; the re-run shows it does not');
  return notes;
}

export interface GradeOptions {
  /** Where the hand-in came from, for the result. */
  source: string;
  /** Largest world a hand-in may ask for (default: the page's world size). */
  maxUsers?: number;
}

export async function gradeHandIn(handIn: HandIn, options: GradeOptions): Promise<GradeResult> {
  const started = Date.now();
  const { manifest } = handIn;
  const lab = findLab(manifest.lab);
  const base = {
    source: options.source,
    learner: { id: manifest.learner.id, ...(manifest.learner.name ? { name: manifest.learner.name } : {}) },
    lab: manifest.lab,
    labTitle: lab?.meta.title ?? manifest.lab,
    seed: manifest.world.seed,
    handedInAt: manifest.timestamps.handedInAt,
    help: manifest.help
      ? {
          hintsShown: new Set(manifest.help.hintsShown).size + (manifest.help.challengeHints ?? 0),
          // The third challenge hint is the full solution.
          solutionShown: manifest.help.solutionShown || (manifest.help.challengeHints ?? 0) >= 3,
        }
      : undefined,
  };
  const refused = (reason: string): GradeResult => ({ ...base, status: 'refused', passedCount: 0, total: 0, failures: [], notes: [reason], gradedAt: new Date().toISOString(), durationMs: Date.now() - started });
  if (!lab) return refused(`there is no lab called "${manifest.lab}" in this course version`);
  const users = manifest.world.users ?? DEFAULT_USERS;
  const maxUsers = options.maxUsers ?? DEFAULT_USERS;
  if (users < 1 || users > maxUsers) return refused(`the hand-in asks for a world of ${users} accounts; at most ${maxUsers} are graded`);

  const { used, ignored } = selectFiles(lab.meta, handIn.files);
  const databaseFiles = [...used.keys()].some((path) => path.startsWith(DATABASE_FILES));
  const notes: string[] = [];
  if (ignored.length > 0) notes.push(`ignored ${ignored.length} file(s) outside the lab's editable files and outputs: ${ignored.slice(0, 5).join(', ')}${ignored.length > 5 ? ', …' : ''}`);
  const claimedLab = manifest.lastReport?.lab;
  if (claimedLab !== undefined && claimedLab !== manifest.lab) notes.push(`the report handed in is for lab "${String(claimedLab)}", not "${manifest.lab}"`);

  let report: CheckReport;
  const fresh = await prepareGradingLab(lab, { seed: manifest.world.seed, users }, { keepsDatabase: databaseFiles });
  try {
    // The learner's database replaces the fresh one whole (never a mix of the two).
    if (databaseFiles) rmSync(resolve(fresh.dir, DATABASE_FILES), { recursive: true, force: true });
    for (const [path, bytes] of used) writeInside(fresh.dir, path, bytes);
    report = await fresh.checks();
    // A busy grading machine (many hand-ins at once) can be slower than the world's start
    // limit; that says nothing about the learner's work, so such a run is repeated once.
    if (startTimedOut(report)) report = await fresh.checks();
  } finally {
    await fresh.dispose();
  }

  const failures = report.results.filter((r) => !r.pass).map((r) => ({ id: r.id, title: r.title, reason: r.reason }));
  const claims = overclaims(manifest.lastReport, report);
  const servicesStarted = report.results.some((r) => r.id === 'services-start' && r.pass);
  if (claims.length > 0) notes.push(...claims);
  // Only a world that ran can speak to the evidence; a world that did not start says so itself.
  if (claims.length > 0 && servicesStarted) {
    notes.push(`the evidence does not match this learner's own world (seed ${manifest.world.seed}): copied from another learner, or edited by hand`);
  }
  const helped = (base.help?.hintsShown ?? 0) > 0 || base.help?.solutionShown === true;
  return {
    ...base,
    status: report.passed ? (helped ? 'passed-with-help' : 'passed') : 'failed',
    passedCount: report.passedCount,
    total: report.total,
    failures,
    notes,
    gradedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
  };
}

/** "passed", "passed with help (2 hints)", "failed (5 of 8)" */
export function statusWords(result: Pick<GradeResult, 'status' | 'passedCount' | 'total' | 'help'>): string {
  switch (result.status) {
    case 'passed':
      return 'passed';
    case 'passed-with-help': {
      const parts = [result.help?.hintsShown ? `${result.help.hintsShown} hint${result.help.hintsShown === 1 ? '' : 's'}` : '', result.help?.solutionShown ? 'solution shown' : ''].filter(Boolean);
      return `passed with help (${parts.join(', ')})`;
    }
    case 'failed':
      return `failed (${result.passedCount} of ${result.total})`;
    case 'refused':
      return 'refused';
  }
}
