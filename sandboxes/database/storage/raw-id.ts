import { deserialize } from 'bson';
import { keyOf } from './id-key.ts';

/**
 * The _id key of a stored document read straight from its BSON, without deserializing it:
 * mongod (and our inserts) put _id first, and for the usual types (ObjectId, string, int32,
 * double, safe int64) the key is a few bytes away. Anything else falls back to the library.
 */
export function idKeyOfRaw(raw: Uint8Array): string {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (buf.length > 9 && buf[5] === 0x5f && buf[6] === 0x69 && buf[7] === 0x64 && buf[8] === 0) {
    const type = buf[4];
    const at = 9;
    if (type === 0x07 && at + 12 <= buf.length) return `o:${buf.toString('hex', at, at + 12)}`;
    if (type === 0x02 && at + 4 <= buf.length) {
      const len = buf.readInt32LE(at);
      if (len > 0 && at + 4 + len <= buf.length) return `s:${buf.toString('utf8', at + 4, at + 4 + len - 1)}`;
    }
    if (type === 0x10 && at + 4 <= buf.length) return `n:${buf.readInt32LE(at)}`;
    if (type === 0x01 && at + 8 <= buf.length) return `n:${buf.readDoubleLE(at)}`;
    if (type === 0x12 && at + 8 <= buf.length) {
      const value = buf.readBigInt64LE(at);
      if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) return `n:${Number(value)}`;
    }
  }
  return keyOf(deserialize(raw)._id);
}
