/**
 * The folder the attack labs save what they take into (downloads/), and how the checks read
 * it: documents exported from the database (mongoexport's JSON lines, or a JSON array) and
 * WAV recordings fetched from the bucket.
 */
import { EJSON, type Document } from 'bson';

/** Documents in the learner's export files (mongoexport's JSON lines, or a JSON array). */
export function readExportedDocuments(text: string): Document[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      return EJSON.parse(trimmed, { relaxed: true }) as Document[];
    } catch {
      return [];
    }
  }
  const docs: Document[] = [];
  for (const line of trimmed.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try {
      docs.push(EJSON.parse(line, { relaxed: true }) as Document);
    } catch {
      // a half-written line does not count
    }
  }
  return docs;
}

/** Parses a RIFF/WAVE header: what a player needs to play it. */
export function describeWav(bytes: Buffer): { ok: true; seconds: number } | { ok: false; why: string } {
  if (bytes.length < 44 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') return { ok: false, why: 'it does not start with a RIFF/WAVE header' };
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') byteRate = bytes.readUInt32LE(offset + 16);
    if (id === 'data') {
      if (!byteRate) return { ok: false, why: 'it has no fmt chunk before its data' };
      return size > 0 ? { ok: true, seconds: size / byteRate } : { ok: false, why: 'its data chunk is empty' };
    }
    offset += 8 + size + (size % 2);
  }
  return { ok: false, why: 'it has no data chunk' };
}
