import { deserialize, type Document } from 'bson';
import { CommandError, ProtocolError } from '../errors.ts';
import { MAX_BSON_OBJECT_SIZE, MAX_WIRE_NESTING_DEPTH } from './limits.ts';
import { nestingDepth } from './raw-bson.ts';

/**
 * Reads one BSON document at `offset`, checking its length against the bytes really present
 * before the bson library sees it, so a lying length is a clean ProtocolError.
 */
export function readDocumentAt(buf: Buffer, offset: number, end: number): { doc: Document; raw: Buffer; next: number } {
  if (offset + 5 > end) throw new ProtocolError('truncated BSON document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError(`BSON document length ${size} does not fit the message`);
  if (size > MAX_BSON_OBJECT_SIZE + 16 * 1024) throw new ProtocolError(`BSON document of ${size} bytes exceeds the limit`);
  const raw = buf.subarray(offset, offset + size);
  // Checked before the (recursive) BSON library sees it. The message was read whole, so the
  // client gets mongod's answer and keeps its connection.
  if (nestingDepth(raw, MAX_WIRE_NESTING_DEPTH) > MAX_WIRE_NESTING_DEPTH) {
    throw new CommandError('Overflow', `BSONObj exceeded maximum nested object depth: ${MAX_WIRE_NESTING_DEPTH}`);
  }
  let doc: Document;
  try {
    doc = deserialize(raw, { validation: { utf8: true } });
  } catch (error) {
    throw new ProtocolError(`invalid BSON: ${(error as Error).message}`);
  }
  return { doc, raw, next: offset + size };
}

export function readCString(buf: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError('unterminated C string');
  return { value: buf.toString('utf8', offset, zero), next: zero + 1 };
}
