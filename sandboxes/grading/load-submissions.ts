/**
 * Turns what an instructor passes to `npm run grade` into hand-ins: a lab's archive, the
 * course page's archive of every lab (one hand-in per lab inside), an unpacked archive
 * folder (with cloudpets-hand-in.json), or a learner's lab folder (with .lab/lab.json). A
 * source that cannot be read becomes a refusal with its reason, never a crash.
 */
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ArchiveError, DEFAULT_LIMITS, handInFromEntries, isCourseArchive, parseManifest, readZipEntries, unsafePathReason, type HandIn } from './archive-reader.ts';
import { HAND_IN_FORMAT, MANIFEST_NAME, buildHandInArchive, isHandInPath, type HandInManifest } from './hand-in-format.ts';
import { findLab } from '../labs/registry.ts';
import { labInfoPath } from '../lab-folder/paths.ts';
import { readLabInfo } from '../lab-folder/lab-info.ts';
import { DEFAULT_SEED } from '../world/dataset/generate.ts';

export type Submission = { source: string; handIn: HandIn } | { source: string; error: string };

/** Hand-ins from archive bytes: one, or one per lab for the course archive. */
export function handInsFromBytes(source: string, bytes: Uint8Array): Submission[] {
  try {
    const entries = readZipEntries(bytes, DEFAULT_LIMITS);
    if (!isCourseArchive(entries)) return [{ source, handIn: handInFromEntries(entries) }];
    return [...entries].map(([name, inner]) => {
      try {
        return { source: `${source}:${name}`, handIn: handInFromEntries(readZipEntries(inner, DEFAULT_LIMITS)) };
      } catch (error) {
        return { source: `${source}:${name}`, error: (error as Error).message };
      }
    });
  } catch (error) {
    return [{ source, error: error instanceof ArchiveError ? error.message : `cannot read it: ${(error as Error).message}` }];
  }
}

/** Files under `dir` (relative paths), refusing links and keeping to the archive limits. */
function readTree(dir: string, keep: (path: string) => boolean): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let total = 0;
  const walk = (relative: string, depth: number): void => {
    for (const name of readdirSync(join(dir, relative))) {
      const path = relative ? `${relative}/${name}` : name;
      const unsafe = unsafePathReason(path);
      if (unsafe) throw new ArchiveError(`refused: ${unsafe}`);
      const stat = lstatSync(join(dir, path));
      if (stat.isSymbolicLink()) throw new ArchiveError(`refused: "${path}" is a symbolic link; hand in files only`);
      if (stat.isDirectory()) {
        if (depth < 12) walk(path, depth + 1);
      } else if (stat.isFile() && keep(path)) {
        if (files.size >= DEFAULT_LIMITS.maxEntries) throw new ArchiveError(`more than ${DEFAULT_LIMITS.maxEntries} files`);
        total += stat.size;
        if (total > DEFAULT_LIMITS.maxTotalBytes) throw new ArchiveError(`the folder holds more than ${DEFAULT_LIMITS.maxTotalBytes / 1024 / 1024} MiB of files`);
        files.set(path, readFileSync(join(dir, path)));
      }
    }
  };
  walk('', 0);
  return files;
}

/**
 * A learner's lab folder, graded as if its owner had pressed "Download my work" (tests and
 * the bench pack their hand-ins through this too, with the learner and report they choose).
 */
export function handInFromLabFolder(dir: string, extra: Partial<Pick<HandInManifest, 'learner' | 'lastReport' | 'help' | 'runtime'>> = {}): HandIn {
  const info = readLabInfo(dir);
  const lab = findLab(info.id);
  if (!lab) throw new ArchiveError(`${dir} holds lab "${info.id}", which this course version does not have`);
  // A folder made before per-learner seeds has the lessons' world.
  const seed = info.seed ?? info.world?.seed ?? DEFAULT_SEED;
  const wanted = (path: string): boolean => !path.startsWith('.lab/') && isHandInPath(path, lab.meta);
  const files = readTree(dir, wanted);
  const manifest = parseManifest(
    JSON.stringify({
      format: HAND_IN_FORMAT,
      lab: info.id,
      courseVersion: 'unknown (lab folder)',
      learner: extra.learner ?? { id: `folder-${basename(dir).replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 50) || 'lab'}` },
      world: { seed, ...(info.world?.users ? { users: info.world.users } : {}) },
      runtime: extra.runtime ?? 'folder',
      ...(extra.lastReport ? { lastReport: extra.lastReport } : {}),
      ...(extra.help ? { help: extra.help } : {}),
      timestamps: { labCreatedAt: info.createdAt, handedInAt: new Date().toISOString() },
      files: [...files.keys()],
    }),
  );
  return { manifest, files };
}

/** One command-line argument: a file or a folder. */
export function loadSubmissions(path: string): Submission[] {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return [{ source: path, error: 'refused: it is a symbolic link; pass the archive or folder itself' }];
    if (stat.isFile()) return handInsFromBytes(path, readFileSync(path));
    if (!stat.isDirectory()) return [{ source: path, error: 'not a file or a folder' }];
    try {
      lstatSync(join(path, MANIFEST_NAME));
      const manifest = parseManifest(readFileSync(join(path, MANIFEST_NAME), 'utf8'));
      const files = readTree(join(path, 'files'), () => true);
      return [{ source: path, handIn: { manifest, files } }];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    try {
      lstatSync(labInfoPath(path));
      return [{ source: path, handIn: handInFromLabFolder(path) }];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    // A folder of archives (an instructor's "hand-ins" folder): every .zip in it.
    const zips = readdirSync(path).filter((name) => name.toLowerCase().endsWith('.zip')).sort();
    if (zips.length === 0) return [{ source: path, error: `no hand-in here: not an archive, no ${MANIFEST_NAME}, no .lab/lab.json, and no .zip files inside` }];
    return zips.flatMap((name) => loadSubmissions(join(path, name)));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [{ source: path, error: 'no such file or folder' }];
    return [{ source: path, error: (error as Error).message }];
  }
}

/** The archive bytes of a hand-in (what "Download my work" would have given). */
export function packHandIn(handIn: HandIn): Uint8Array {
  const { files: _paths, format: _format, ...manifest } = handIn.manifest;
  return buildHandInArchive(manifest, Object.fromEntries(handIn.files));
}
