import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * When is dist/ stale? `npm start` rebuilds only then, because a build takes a while on a
 * laptop and the learner usually just wants the course back.
 *
 * The rule: dist/ is stale when it has no build stamp (dist/.build-stamp.json, written last
 * by a successful `npm run build`), when dist/index.html is missing, or when any file or
 * folder among the build inputs was modified after that build STARTED (an edit made during a
 * build counts as not built). Folders count too, so deleting a lesson (which changes its
 * folder's mtime) also triggers a rebuild. Folders named node_modules and dot-folders (.astro,
 * a lab's .lab runtime files) are not inputs.
 */
export const buildStampFile = '.build-stamp.json';

/** Build inputs, relative to the project root. Missing ones are skipped. */
export const buildInputs = [
  'src',
  'lessons',
  'public',
  'sandboxes',
  'astro.config.mjs',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
] as const;

export interface BuildStamp {
  /** Milliseconds since epoch when the build that wrote dist/ started. */
  startedAt: number;
  finishedAt: number;
}

export type Staleness = { stale: false } | { stale: true; reason: string };

export async function writeBuildStamp(distDir: string, stamp: BuildStamp): Promise<void> {
  await writeFile(join(distDir, buildStampFile), `${JSON.stringify(stamp)}\n`);
}

async function readBuildStamp(distDir: string): Promise<BuildStamp | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(join(distDir, buildStampFile), 'utf8'));
    if (typeof value === 'object' && value !== null && typeof (value as BuildStamp).startedAt === 'number') return value as BuildStamp;
  } catch {
    // Missing or unreadable stamp: treated as "never built" below.
  }
  return undefined;
}

/** The first input path modified after `since`, or undefined. Stops at the first hit. */
async function firstChangedSince(path: string, since: number): Promise<string | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return undefined;
  }
  if (info.mtimeMs > since) return path;
  if (!info.isDirectory()) return undefined;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const changed = await firstChangedSince(join(path, entry.name), since);
    if (changed) return changed;
  }
  return undefined;
}

export async function distStaleness(projectDir: string, distDir = join(projectDir, 'dist')): Promise<Staleness> {
  const stamp = await readBuildStamp(distDir);
  if (!stamp) return { stale: true, reason: `${distDir} has no complete build yet` };
  try {
    await stat(join(distDir, 'index.html'));
  } catch {
    return { stale: true, reason: `${join(distDir, 'index.html')} is missing` };
  }
  for (const input of buildInputs) {
    const changed = await firstChangedSince(join(projectDir, input), stamp.startedAt);
    if (changed) return { stale: true, reason: `${changed} changed since the last build` };
  }
  return { stale: false };
}
