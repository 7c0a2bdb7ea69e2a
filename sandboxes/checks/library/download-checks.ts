/**
 * The recordings lab's evidence: WAV files in downloads/ that are byte for byte objects of the
 * bucket (compared with what the bucket serves for the recording keys in the database).
 */
import { createHash } from 'node:crypto';
import type { Check } from '../types.ts';
import type { CheckContext } from '../context.ts';
import { describeWav } from '../learner-files/downloads-folder.ts';
import { DOWNLOADS_DIR } from '../learner-files/learner-file-names.ts';
import { ownerGet } from '../probes/bucket-as-owner.ts';
import { plural } from '../reason-words.ts';
import { OTHER_WORLD } from '../seeded-world.ts';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Hashes of the bucket's objects for the recordings in the database, fetched as the owner. */
async function bucketHashes(ctx: CheckContext, wanted: Set<string>): Promise<Map<string, string>> {
  const client = await ctx.mongo('app');
  const found = new Map<string, string>();
  const cursor = client.db('cloudpets').collection('recordings').find({}, { projection: { key: 1 } }).limit(400);
  const seenHashes = new Set<string>();
  for await (const doc of cursor) {
    const key = String(doc.key);
    const result = await ownerGet(ctx, key);
    if (result.status !== 200) continue;
    const hash = sha256(result.body);
    if (!found.has(hash)) found.set(hash, key);
    seenHashes.add(hash);
    if ([...wanted].every((h) => seenHashes.has(h))) break;
  }
  return found;
}

export function downloadsHaveRecordings(anchor: string): Check {
  return {
    id: 'downloads-have-recordings',
    title: 'Your downloads folder holds recordings taken from the bucket',
    hint: 'Find a recording URL in cloudpets.recordings, then: curl -o downloads/clip.wav <url>',
    lessonAnchor: anchor,
    timeoutMs: 45_000,
    async run(ctx) {
      const files = ctx.listFiles(DOWNLOADS_DIR).filter((f) => /\.wav$/i.test(f));
      if (files.length === 0) return { pass: false, reason: `there is no .wav file in ${DOWNLOADS_DIR}/ yet` };
      const hashes = new Map(files.map((f) => [f, sha256(ctx.readBytes(f) ?? Buffer.alloc(0))]));
      const bucket = await bucketHashes(ctx, new Set(hashes.values()));
      const matching = files.filter((f) => bucket.has(hashes.get(f)!));
      const strangers = files.filter((f) => !bucket.has(hashes.get(f)!));
      if (matching.length === 0) return { pass: false, reason: `${files.length === 1 ? `${files[0]} is not identical to any object in your bucket` : `none of ${files.join(', ')} is identical to an object in your bucket`} (a recording from another world has other bytes: ${OTHER_WORLD})` };
      const extra = strangers.length > 0 ? ` (${strangers.join(', ')} ${strangers.length === 1 ? 'is' : 'are'} not from the bucket)` : '';
      return { pass: true, reason: `${plural(matching.length, 'file')} in ${DOWNLOADS_DIR}/ ${matching.length === 1 ? 'is' : 'are'} byte for byte the bucket's ${matching.map((f) => bucket.get(hashes.get(f)!)).slice(0, 2).join(', ')}${extra}` };
    },
  };
}

export function recordingPlayable(anchor: string): Check {
  return {
    id: 'recording-playable',
    title: 'At least one of them is a WAV file a player can play',
    hint: 'Download the object itself (curl -o), not an error page; then play it from the recordings list.',
    lessonAnchor: anchor,
    async run(ctx) {
      const files = ctx.listFiles(DOWNLOADS_DIR).filter((f) => /\.wav$/i.test(f));
      if (files.length === 0) return { pass: false, reason: `there is no .wav file in ${DOWNLOADS_DIR}/ yet` };
      const problems: string[] = [];
      for (const file of files) {
        const wav = describeWav(ctx.readBytes(file) ?? Buffer.alloc(0));
        if (wav.ok) return { pass: true, reason: `${file} is a ${wav.seconds.toFixed(1)} s WAV recording` };
        problems.push(`${file}: ${wav.why}`);
      }
      return { pass: false, reason: problems.slice(0, 2).join('; ') };
    },
  };
}
