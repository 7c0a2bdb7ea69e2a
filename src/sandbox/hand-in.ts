/**
 * "Download my work" in the page: the learner's editable files, what they produced in the lab
 * (OUTPUT_PATHS), the last check report, their learner id, name and seed, packed into one
 * hand-in archive (sandboxes/grading/hand-in-format.ts). Reads the lab only through the
 * LabSession's file operations, so both runtimes give the same archive. The latest archive
 * of each lab is also kept in the browser (IndexedDB), for the course page's "every lab"
 * download.
 */
import { buildHandInArchive, buildCourseArchive, DATABASE_FILES, OUTPUT_PATHS, type HandInHelp } from '../../sandboxes/grading/hand-in-format.ts';
import type { CheckReport } from '../../sandboxes/checks/types.ts';
import { DEFAULT_SEED } from '../../sandboxes/world/dataset/seed.ts';
import type { ListOutputsOptions } from '../runtimes/runtime.ts';
import { createLearnerStore, type LearnerIdentity } from '../progress/learner-identity.ts';
import packageJson from '../../package.json';

export const COURSE_VERSION: string = packageJson.version;
/** The world a lab folder gets when its lab.json names no seed (the lessons' world). */
/** Same bound as the classroom's upload limit, before compression: a runaway download folder is left out, and said so. */
const MAX_OUTPUT_BYTES = 24 * 1024 * 1024;
const REPORT_PATHS = ['.lab/reports/last.json', '.lab/last-report.json'];
const HELP_KEY = 'cloudpets-lab:help:v1';

/** The file operations a hand-in needs (a LabSession has them in both runtimes). */
export interface LabFiles {
  readFile(path: string): Promise<Uint8Array>;
  /** Lab operations (docs/lab-runtime-contract.md): the outputs, and with `database` the database's files. */
  listOutputs(options?: ListOutputsOptions): Promise<{ path: string }[]>;
}

function localStorageOrUndefined(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export const learnerStore = createLearnerStore({ storage: localStorageOrUndefined() });

export function currentLearner(): LearnerIdentity {
  return learnerStore.getLearner();
}

/** Which hints the learner opened and whether they looked at the solution, per lab. */
export function readHelp(labId: string): HandInHelp {
  try {
    const all = JSON.parse(localStorageOrUndefined()?.getItem(HELP_KEY) ?? '{}') as Record<string, Partial<HandInHelp>>;
    const entry = all[labId] ?? {};
    return { hintsShown: Array.isArray(entry.hintsShown) ? entry.hintsShown.filter((id) => typeof id === 'string') : [], solutionShown: entry.solutionShown === true };
  } catch {
    return { hintsShown: [], solutionShown: false };
  }
}

export function recordHelp(labId: string, help: { hint?: string; solution?: boolean }): void {
  const storage = localStorageOrUndefined();
  if (!storage) return;
  try {
    const all = JSON.parse(storage.getItem(HELP_KEY) ?? '{}') as Record<string, HandInHelp>;
    const entry = readHelp(labId);
    if (help.hint && !entry.hintsShown.includes(help.hint)) entry.hintsShown.push(help.hint);
    if (help.solution) entry.solutionShown = true;
    all[labId] = entry;
    storage.setItem(HELP_KEY, JSON.stringify(all));
  } catch {
    // Help is reported, not enforced: losing the record must never break the panel.
  }
}

/** Hints and solution from this module's record and the progress store (challenge mode, "done with help"). */
async function helpWithProgress(labId: string): Promise<HandInHelp> {
  const help = readHelp(labId);
  try {
    const { getProgress } = await import('../progress/browser-progress.ts');
    const progress = getProgress();
    const challengeHints = progress.modes[labId]?.hintsShown ?? 0;
    return { ...help, solutionShown: help.solutionShown || progress.labs[labId]?.withHelp === true, ...(challengeHints > 0 ? { challengeHints } : {}) };
  } catch {
    return help;
  }
}

async function readOptional(files: LabFiles, path: string): Promise<Uint8Array | undefined> {
  return files.readFile(path).catch(() => undefined);
}

async function outputPaths(files: LabFiles, kind: 'attack' | 'fix'): Promise<string[]> {
  // A fix lab's database is part of the work (the users created, the accounts restored).
  return (await files.listOutputs({ database: kind === 'fix' })).map((output) => output.path);
}

export interface LabWork {
  files: Record<string, Uint8Array>;
  /** Outputs left out because the archive would have been too big. */
  leftOut: string[];
  lastReport?: CheckReport;
  labInfo: { seed: number; users?: number; createdAt?: string };
}

export async function collectLabWork(files: LabFiles, lab: { editable: string[]; kind: 'attack' | 'fix' }): Promise<LabWork> {
  const { editable } = lab;
  const collected: Record<string, Uint8Array> = {};
  const leftOut: string[] = [];
  let total = 0;
  for (const path of [...editable, ...(await outputPaths(files, lab.kind))]) {
    if (collected[path]) continue;
    const bytes = await readOptional(files, path);
    if (!bytes) continue;
    if (total + bytes.length > MAX_OUTPUT_BYTES) {
      leftOut.push(path);
      continue;
    }
    total += bytes.length;
    collected[path] = bytes;
  }
  let lastReport: CheckReport | undefined;
  for (const path of REPORT_PATHS) {
    const bytes = await readOptional(files, path);
    if (!bytes) continue;
    try {
      lastReport = JSON.parse(new TextDecoder().decode(bytes)) as CheckReport;
      break;
    } catch {
      // a half-written report: the grader never trusts it anyway
    }
  }
  let labInfo: LabWork['labInfo'] = { seed: DEFAULT_SEED };
  const infoBytes = await readOptional(files, '.lab/lab.json');
  if (infoBytes) {
    try {
      const info = JSON.parse(new TextDecoder().decode(infoBytes)) as { seed?: number; world?: { seed?: number; users?: number }; createdAt?: string };
      labInfo = { seed: info.seed ?? info.world?.seed ?? DEFAULT_SEED, ...(info.world?.users ? { users: info.world.users } : {}), ...(info.createdAt ? { createdAt: info.createdAt } : {}) };
    } catch {
      // keep the default world
    }
  }
  return { files: collected, leftOut, lastReport, labInfo };
}

export async function buildLabArchive(files: LabFiles, lab: { id: string; editable: string[]; kind: 'attack' | 'fix' }, runtime: string): Promise<{ bytes: Uint8Array; leftOut: string[] }> {
  const work = await collectLabWork(files, lab);
  const learner = currentLearner();
  const bytes = buildHandInArchive(
    {
      lab: lab.id,
      courseVersion: COURSE_VERSION,
      learner: { id: learner.id, ...(learner.name ? { name: learner.name } : {}) },
      world: { seed: work.labInfo.seed, ...(work.labInfo.users ? { users: work.labInfo.users } : {}) },
      runtime,
      ...(work.lastReport ? { lastReport: work.lastReport } : {}),
      help: await helpWithProgress(lab.id),
      timestamps: { labCreatedAt: work.labInfo.createdAt, lastChecksAt: work.lastReport?.startedAt, handedInAt: new Date().toISOString() },
    },
    work.files,
  );
  void keepArchive(lab.id, bytes).catch(() => undefined);
  return { bytes, leftOut: work.leftOut };
}

/** Offers bytes as a file download. */
export function offerDownload(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// The latest archive per lab, for the course page (IndexedDB: archives can be megabytes).
const DB_NAME = 'cloudpets-hand-ins';
const STORE = 'archives';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB is unavailable'));
  });
}

export async function keepArchive(labId: string, bytes: Uint8Array): Promise<void> {
  const db = await openDb();
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(bytes, labId);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('could not keep the archive'));
  });
  db.close();
}

export async function keptArchives(): Promise<Record<string, Uint8Array>> {
  const db = await openDb();
  const out: Record<string, Uint8Array> = {};
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction(STORE, 'readonly');
    const request = tx.objectStore(STORE).openCursor();
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return;
      if (cursor.value instanceof Uint8Array && typeof cursor.key === 'string') out[cursor.key] = cursor.value;
      cursor.continue();
    };
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('could not read the kept archives'));
  });
  db.close();
  return out;
}

/** One archive holding the latest hand-in of every lab this browser worked on. */
export async function buildAllLabsArchive(): Promise<{ bytes: Uint8Array; labs: string[] }> {
  const archives = await keptArchives();
  return { bytes: buildCourseArchive(archives), labs: Object.keys(archives).sort() };
}
