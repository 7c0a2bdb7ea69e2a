/**
 * A lab folder from a built bundle (dist/labs/<id>/, src/build/lab-bundle): what the local
 * runner does for every lab it opens (WebContainer mounts the same files from the bundle's
 * trees). The other way, from sources, is ./assemble.ts; both write `.lab/lab.json` the same way.
 */
import { copyFile, mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labInfoPath, type LabInfo } from './paths.ts';

export interface FromBundleOptions {
  /** The learner's seed (src/progress), written into .lab/lab.json before the lab shell starts. */
  seed?: number;
}

/** Copies the bundle to `labDir` and records the learner's seed; resolves with the folder's real path. */
export async function labFolderFromBundle(bundleDir: string, labDir: string, options: FromBundleOptions = {}): Promise<string> {
  await copyBundle(bundleDir, labDir);
  const real = await realpath(labDir);
  if (options.seed !== undefined) await writeLabSeed(real, options.seed);
  return real;
}

/** Adds the learner's seed to `.lab/lab.json`, keeping what the bundle wrote there. */
export async function writeLabSeed(labDir: string, seed: number): Promise<void> {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`a learner seed is a non-negative integer, not ${seed}`);
  const path = labInfoPath(labDir);
  let info: Partial<LabInfo> = {};
  try {
    info = JSON.parse(await readFile(path, 'utf8')) as Partial<LabInfo>;
  } catch {
    // a bundle without lab.json: the seed alone is still worth keeping
  }
  await writeFile(path, JSON.stringify({ ...info, seed }, null, 2) + '\n');
}

/**
 * Copies a bundle folder: every folder and regular file, the files of a folder at once. Not
 * fs.promises.cp: it checks and copies one entry after another and took 0.3-1 s for a lab's
 * 75 files (3.4 MiB) on a busy machine, where this takes under 0.1 s; a lab waits for it
 * before its shell starts. A bundle is the build's output, so it holds only folders and
 * regular files; anything else (a link) is left out rather than followed.
 */
async function copyBundle(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map((entry) => {
      if (entry.isDirectory()) return copyBundle(join(from, entry.name), join(to, entry.name));
      if (entry.isFile()) return copyFile(join(from, entry.name), join(to, entry.name));
      return undefined;
    }),
  );
}
