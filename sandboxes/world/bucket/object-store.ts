/**
 * What the bucket holds. The seeded recordings are not stored one file per key (2.2 million
 * copies of a dozen clips would be absurd): the lab's .lab/bucket/ keeps the clips once and a
 * seed.json naming the dataset; a key exists when the dataset generator has a recording with
 * that key, and it serves the bytes of that recording's clip. Keys sort by user id (ObjectIds
 * grow with sign-up order), so listings stream from the generator in key order.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DatasetOptions, checkOptions, recordingByKey, recordingsFrom, userId } from '../dataset/generate.ts';
import { CLIPS, CLIPS_DIR } from '../recordings/clips.ts';
import { stampClip } from '../dataset/clip-stamp.ts';

export interface StoredObject {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
  contentType: string;
  /** Where the bytes live on disk. */
  file: string;
}

export interface ObjectStore {
  get(key: string): StoredObject | undefined;
  /** Keys in ascending order, all > after (if given) and starting with prefix. */
  list(prefix: string, after: string | undefined): Generator<StoredObject>;
}

interface SeedFile {
  seed: number;
  users: number;
}

export function bucketDataDir(labDir: string): string {
  return join(labDir, '.lab', 'bucket');
}

/** Puts the seeded recordings into the lab's bucket folder (clips once + seed.json). */
export function seedBucket(labDir: string, dataset: DatasetOptions): void {
  const dir = join(bucketDataDir(labDir), 'clips');
  mkdirSync(dir, { recursive: true });
  // Stamped with the world's seed, so each learner's bucket holds its own bytes (clip-stamp.ts).
  for (const clip of CLIPS) writeFileSync(join(dir, clip.file), stampClip(readFileSync(join(CLIPS_DIR, clip.file)), dataset.seed));
  writeFileSync(join(bucketDataDir(labDir), 'seed.json'), JSON.stringify(dataset) + '\n');
}

/** An empty store (a bucket that was never seeded, or whose seed.json was deleted). */
const EMPTY: ObjectStore = { get: () => undefined, list: function* () {} };

export function openObjectStore(labDir: string): ObjectStore {
  const dataDir = bucketDataDir(labDir);
  const seedPath = join(dataDir, 'seed.json');
  if (!existsSync(seedPath)) return EMPTY;
  let dataset: DatasetOptions;
  try {
    dataset = checkOptions(JSON.parse(readFileSync(seedPath, 'utf8')) as SeedFile);
  } catch (error) {
    throw new Error(`${seedPath} is damaged (${(error as Error).message}); delete the lab's .lab folder to seed again`);
  }
  const clipInfo = new Map<string, { size: number; etag: string; file: string }>();
  for (const clip of CLIPS) {
    const file = join(dataDir, 'clips', clip.file);
    if (!existsSync(file)) continue; // a deleted clip makes its recordings disappear, visibly
    const bytes = readFileSync(file);
    clipInfo.set(clip.file, { size: statSync(file).size, etag: `"${createHash('md5').update(bytes).digest('hex')}"`, file });
  }
  const toStored = (key: string, clipFile: string, createdAt: Date): StoredObject | undefined => {
    const info = clipInfo.get(clipFile);
    return info && { key, size: info.size, etag: info.etag, lastModified: createdAt, contentType: 'audio/wav', file: info.file };
  };

  // First user whose keys can be >= bound: user prefixes are fixed-width and grow with the index.
  const firstUserFor = (bound: string): number => {
    const head = bound.slice(0, 'recordings/'.length + 25);
    let lo = 0;
    let hi = dataset.users;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (`recordings/${userId(dataset, mid).toHexString()}/` < head) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  return {
    get(key) {
      const found = recordingByKey(dataset, key);
      return found && toStored(key, found.clip.file, found.doc.createdAt);
    },
    *list(prefix, after) {
      const bound = after !== undefined && after >= prefix ? after : prefix;
      for (const { doc, clip } of recordingsFrom(dataset, firstUserFor(bound))) {
        if (after !== undefined && doc.key <= after) continue;
        if (doc.key < prefix) continue;
        if (!doc.key.startsWith(prefix)) return;
        const stored = toStored(doc.key, clip.file, doc.createdAt);
        if (stored) yield stored;
      }
    },
  };
}
