/**
 * The hand-in archive: one zip per lab attempt, built the same way by the page (both
 * runtimes) and by tests, read by the grader and the classroom server. Pure data in and out
 * (no Node, no DOM) so the page bundles it as is. The zip format itself is fflate's: we
 * never write zip records by hand.
 *
 * Layout:
 *   cloudpets-hand-in.json     the manifest below
 *   files/<lab-relative path>  the learner's editable files and outputs, as they were
 */
import { strToU8, strFromU8, zipSync } from 'fflate';
import type { CheckReport } from '../checks/types.ts';
import { CRACKED_FILE, DOWNLOADS_DIR, FINDINGS_FILE } from '../checks/learner-files/learner-file-names.ts';

export const HAND_IN_FORMAT = 'cloudpets-hand-in/1';
export const MANIFEST_NAME = 'cloudpets-hand-in.json';
export const FILES_PREFIX = 'files/';

/**
 * What a learner produced in a lab besides the editable files: exports and downloads, written
 * findings, cracked pairs, the ransom bot's copy, and the database's log of their commands
 * (the only record of what they typed; the re-run cannot replay it). Folders end with `/`.
 */
export const OUTPUT_PATHS = [`${DOWNLOADS_DIR}/`, 'ransom-copy/', FINDINGS_FILE, CRACKED_FILE, 'notes.md', 'logs/mongod.log'] as const;

export function isOutputPath(path: string): boolean {
  return OUTPUT_PATHS.some((output) => (output.endsWith('/') ? path.startsWith(output) : path === output));
}

/**
 * The database's files. In a fix lab they are part of the work (the app's database user the
 * learner created, the accounts restored from backup), so they are handed in. In an attack
 * lab they never are: the grader's own world from the learner's seed is what the evidence is
 * compared with, so a copied world cannot vouch for a copied export.
 */
export const DATABASE_FILES = 'data/db/';

/** Whether a lab-relative path belongs in a hand-in of this lab. */
export function isHandInPath(path: string, lab: { editable: readonly string[]; kind: 'attack' | 'fix' }): boolean {
  return lab.editable.includes(path) || isOutputPath(path) || (lab.kind === 'fix' && path.startsWith(DATABASE_FILES));
}

export interface HandInLearner {
  /** The learner id the page made (random, kept in the browser). */
  id: string;
  /** Optional name or e-mail the learner chose to give. */
  name?: string;
}

export interface HandInHelp {
  /** Check ids whose hint the learner opened. */
  hintsShown: string[];
  /** The learner opened the reference solution. */
  solutionShown: boolean;
  /** Challenge mode: how far into its hints (nudge, command, full solution) the learner went, 0-3. */
  challengeHints?: number;
}

export interface HandInManifest {
  format: typeof HAND_IN_FORMAT;
  lab: string;
  /** The course version (package.json version of the build that made the archive). */
  courseVersion: string;
  learner: HandInLearner;
  /** The seed of the learner's world, and its size (the grader rebuilds that world). */
  world: { seed: number; users?: number };
  /** Which runtime made it ("local", "webcontainer", "node" for tests and scripts). */
  runtime: string;
  /** The last check report the learner saw: shown, compared, never trusted. */
  lastReport?: CheckReport;
  help?: HandInHelp;
  /** ISO times: when the lab folder was made, when the last checks ran, when this was made. */
  timestamps: { labCreatedAt?: string; lastChecksAt?: string; handedInAt: string };
  /** Lab-relative paths of the files in files/ (the grader checks the list against the zip). */
  files: string[];
}

/** Builds the archive. `files` are lab-relative paths with `/` separators. */
export function buildHandInArchive(manifest: Omit<HandInManifest, 'files' | 'format'>, files: Record<string, Uint8Array | string>): Uint8Array {
  const paths = Object.keys(files).sort();
  const full: HandInManifest = { format: HAND_IN_FORMAT, ...manifest, files: paths };
  const entries: Record<string, Uint8Array> = { [MANIFEST_NAME]: strToU8(JSON.stringify(full, null, 2) + '\n') };
  for (const path of paths) {
    const data = files[path]!;
    entries[FILES_PREFIX + path] = typeof data === 'string' ? strToU8(data) : data;
  }
  // Fixed entry times: the same work gives the same bytes, whichever runtime packed it.
  return zipSync(entries, { level: 6, mtime: new Date('2017-02-22T00:00:00Z') });
}

/** Several lab archives in one download (the course page's "every lab" archive). */
export function buildCourseArchive(archives: Record<string, Uint8Array>): Uint8Array {
  const entries: Record<string, [Uint8Array, { level: 0 }]> = {};
  // The lab archives are already compressed: store them as they are.
  for (const [labId, bytes] of Object.entries(archives)) entries[`${labId}.cloudpets.zip`] = [bytes, { level: 0 }];
  return zipSync(entries, { mtime: new Date('2017-02-22T00:00:00Z') });
}

export const textOf = (bytes: Uint8Array): string => strFromU8(bytes);

/** "open-door" + learner -> "cloudpets-open-door-ada-lovelace.zip" */
export function handInFileName(labId: string, learnerName: string | undefined): string {
  const who = (learnerName ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return `cloudpets-${labId}${who ? `-${who}` : ''}.zip`;
}
