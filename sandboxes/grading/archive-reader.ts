/**
 * Reads a hand-in archive someone else made, so nothing in it is trusted. Before a single
 * byte is inflated, the zip's central directory is walked and the archive refused, with a
 * reason, when it has too many entries, a path that could land outside its place (absolute,
 * `..`, backslashes, drive letters), a symbolic link, an encrypted or zip64 entry, or sizes
 * past the limits (total and per-entry compression ratio: zip bombs). Only then fflate
 * inflates it, into buffers of the declared sizes (a lying header cannot make it grow).
 *
 * We walk the central directory ourselves because fflate's reader does not expose the
 * external attributes (where a zip marks a symbolic link) or let us refuse before inflating.
 */
import { unzipSync } from 'fflate';
import { MAX_SEED } from '../world/dataset/seed.ts';
import { FILES_PREFIX, HAND_IN_FORMAT, MANIFEST_NAME, textOf, type HandInManifest } from './hand-in-format.ts';

export interface ArchiveLimits {
  /** The archive file itself. */
  maxArchiveBytes: number;
  /** Sum of every entry's uncompressed size. */
  maxTotalBytes: number;
  maxEntries: number;
  /** Uncompressed / compressed, per entry (entries under 64 KiB are not held to it). */
  maxRatio: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 16 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxEntries: 2000,
  maxRatio: 200,
};

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

export interface HandIn {
  manifest: HandInManifest;
  /** Lab-relative path -> bytes. */
  files: Map<string, Uint8Array>;
}

interface CentralEntry {
  name: string;
  compressedSize: number;
  size: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_CENTRAL = 0x02014b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Why a path inside an archive is refused, or undefined when it is a plain relative path. */
export function unsafePathReason(name: string): string | undefined {
  if (name.length === 0) return 'an entry has an empty name';
  if (name.length > 240) return `entry "${name.slice(0, 40)}…" has a name longer than 240 characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(name)) return `entry ${JSON.stringify(name)} has control characters in its name`;
  if (name.includes('\\')) return `entry "${name}" uses backslashes; archive paths use /`;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `entry "${name}" is an absolute path`;
  const parts = name.replace(/\/$/, '').split('/');
  if (parts.some((part) => part === '..')) return `entry "${name}" climbs out of its folder with ..`;
  if (parts.some((part) => part === '' || part === '.')) return `entry "${name}" has an empty or "." path segment`;
  if (parts.length > 12) return `entry "${name}" is nested deeper than 12 folders`;
  return undefined;
}

function centralDirectory(bytes: Uint8Array, limits: ArchiveLimits): CentralEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ArchiveError('this is not a zip archive (no end-of-archive record); hand in the .zip that "Download my work" made');
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ArchiveError('zip64 archives are not accepted (a hand-in is far smaller than 4 GiB)');
  if (count > limits.maxEntries) throw new ArchiveError(`the archive has ${count} entries; at most ${limits.maxEntries} are accepted`);
  if (cdOffset + cdSize > eocd) throw new ArchiveError('the archive is damaged (its directory points past its end); download it again');
  const entries: CentralEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let at = cdOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > eocd || view.getUint32(at, true) !== SIG_CENTRAL) throw new ArchiveError('the archive is damaged (a broken directory entry); download it again');
    const madeBy = view.getUint16(at + 4, true) >> 8;
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const external = view.getUint32(at + 38, true);
    const name = textOf(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;

    const unsafe = unsafePathReason(name);
    if (unsafe) throw new ArchiveError(`refused: ${unsafe}`);
    if (madeBy === 3 && ((external >>> 16) & S_IFMT) === S_IFLNK) throw new ArchiveError(`refused: entry "${name}" is a symbolic link; hand in files only`);
    if (flags & 1) throw new ArchiveError(`refused: entry "${name}" is encrypted`);
    if (method !== 0 && method !== 8) throw new ArchiveError(`refused: entry "${name}" uses compression method ${method}; only stored and deflated entries are read`);
    if (size === 0xffffffff || compressedSize === 0xffffffff) throw new ArchiveError('zip64 archives are not accepted (a hand-in is far smaller than 4 GiB)');
    if (names.has(name)) throw new ArchiveError(`refused: entry "${name}" appears twice`);
    names.add(name);
    total += size;
    if (total > limits.maxTotalBytes) throw new ArchiveError(`the archive unpacks to more than ${limits.maxTotalBytes / 1024 / 1024} MiB; that is not a hand-in`);
    if (size > 64 * 1024 && size > compressedSize * limits.maxRatio) {
      throw new ArchiveError(`refused: entry "${name}" would inflate ${Math.round(size / Math.max(1, compressedSize))} times (more than ${limits.maxRatio}): a zip bomb, not lab work`);
    }
    if (!name.endsWith('/')) entries.push({ name, compressedSize, size });
  }
  return entries;
}

function inflate(bytes: Uint8Array, entries: CentralEntry[]): Record<string, Uint8Array> {
  const declared = new Map(entries.map((entry) => [entry.name, entry.size]));
  try {
    return unzipSync(bytes, { filter: (file) => declared.has(file.name) && declared.get(file.name) === file.originalSize });
  } catch (error) {
    throw new ArchiveError(`the archive is damaged and cannot be unpacked (${(error as Error).message}); download it again`);
  }
}

/** A zip's entries, checked and inflated (no manifest rules: the course archive uses this too). */
export function readZipEntries(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_LIMITS): Map<string, Uint8Array> {
  if (bytes.length > limits.maxArchiveBytes) throw new ArchiveError(`the archive is ${(bytes.length / 1024 / 1024).toFixed(1)} MiB; at most ${limits.maxArchiveBytes / 1024 / 1024} MiB is accepted`);
  if (bytes.length < 22) throw new ArchiveError('this is not a zip archive (too short); hand in the .zip that "Download my work" made');
  const entries = centralDirectory(bytes, limits);
  const inflated = inflate(bytes, entries);
  const out = new Map<string, Uint8Array>();
  for (const entry of entries) {
    const data = inflated[entry.name];
    if (!data || data.length !== entry.size) throw new ArchiveError(`the archive is damaged: entry "${entry.name}" does not unpack to its recorded size; download it again`);
    out.set(entry.name, data);
  }
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown): value is string | undefined => value === undefined || typeof value === 'string';

/** Checks a manifest's shape; every problem is named so the learner can re-download. */
export function parseManifest(text: string): HandInManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ArchiveError(`${MANIFEST_NAME} is not valid JSON`);
  }
  if (!isRecord(value)) throw new ArchiveError(`${MANIFEST_NAME} is not an object`);
  if (value.format !== HAND_IN_FORMAT) throw new ArchiveError(`${MANIFEST_NAME} has format ${JSON.stringify(value.format)}; this grader reads ${HAND_IN_FORMAT}`);
  const problems: string[] = [];
  if (typeof value.lab !== 'string' || !/^[a-z0-9-]{1,40}$/.test(value.lab)) problems.push('lab (a lab id)');
  if (typeof value.courseVersion !== 'string') problems.push('courseVersion');
  const learner = value.learner;
  if (!isRecord(learner) || typeof learner.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(learner.id) || !optionalString(learner.name) || (learner.name?.length ?? 0) > 120) {
    problems.push('learner ({ id, name? })');
  }
  const world = value.world;
  if (!isRecord(world) || !Number.isInteger(world.seed) || (world.seed as number) < 0 || (world.seed as number) > MAX_SEED || (world.users !== undefined && !Number.isInteger(world.users))) {
    problems.push(`world.seed (a whole number from 0 to ${MAX_SEED})`);
  }
  if (typeof value.runtime !== 'string') problems.push('runtime');
  if (!isRecord(value.timestamps) || typeof value.timestamps.handedInAt !== 'string') problems.push('timestamps.handedInAt');
  if (!Array.isArray(value.files) || !value.files.every((f) => typeof f === 'string')) problems.push('files (a list of paths)');
  if (value.lastReport !== undefined && (!isRecord(value.lastReport) || !Array.isArray(value.lastReport.results))) problems.push('lastReport (a check report)');
  const help = value.help;
  if (help !== undefined && (!isRecord(help) || !Array.isArray(help.hintsShown) || typeof help.solutionShown !== 'boolean' || (help.challengeHints !== undefined && !(Number.isInteger(help.challengeHints) && (help.challengeHints as number) >= 0 && (help.challengeHints as number) <= 3)))) {
    problems.push('help');
  }
  if (problems.length > 0) throw new ArchiveError(`${MANIFEST_NAME} is missing or has a wrong ${problems.join(', ')}`);
  return value as unknown as HandInManifest;
}

/** A single lab's hand-in from archive bytes. */
export function readHandIn(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_LIMITS): HandIn {
  const entries = readZipEntries(bytes, limits);
  return handInFromEntries(entries);
}

export function handInFromEntries(entries: Map<string, Uint8Array>): HandIn {
  const manifestBytes = entries.get(MANIFEST_NAME);
  if (!manifestBytes) throw new ArchiveError(`the archive has no ${MANIFEST_NAME}: it was not made by "Download my work"`);
  const manifest = parseManifest(textOf(manifestBytes));
  const files = new Map<string, Uint8Array>();
  const stray: string[] = [];
  for (const [name, data] of entries) {
    if (name === MANIFEST_NAME) continue;
    if (name.startsWith(FILES_PREFIX) && name.length > FILES_PREFIX.length) files.set(name.slice(FILES_PREFIX.length), data);
    else stray.push(name);
  }
  if (stray.length > 0) throw new ArchiveError(`the archive holds entries outside files/: ${stray.slice(0, 3).join(', ')}${stray.length > 3 ? ', …' : ''}`);
  return { manifest, files };
}

/** Is this the course page's archive (one lab archive per entry)? */
export function isCourseArchive(entries: Map<string, Uint8Array>): boolean {
  return !entries.has(MANIFEST_NAME) && entries.size > 0 && [...entries.keys()].every((name) => name.endsWith('.cloudpets.zip') && !name.includes('/'));
}
