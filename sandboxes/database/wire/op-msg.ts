import type { Document } from 'bson';
import { ProtocolError } from '../errors.ts';
import { readCString, readDocumentAt } from './bson-reader.ts';

export const MsgFlag = {
  checksumPresent: 1 << 0,
  moreToCome: 1 << 1,
  exhaustAllowed: 1 << 16,
} as const;

export interface ParsedMsg {
  body: Document;
  /** Raw bytes of kind-1 documents, by identifier, so inserts can store them as sent. */
  rawSequences: Map<string, Buffer[]>;
  /** Raw bytes of the kind-0 body, for documents sent inside it. */
  bodyRaw: Buffer;
  moreToCome: boolean;
}

/**
 * OP_MSG: flags, one kind-0 body and any kind-1 document sequences. Kind-1 documents are merged
 * into the body as an array field named by the identifier (documents, updates, deletes), as
 * mongod does. The low 16 flag bits are "must understand" bits: unknown ones are an error.
 */
export function parseOpMsg(payload: Buffer): ParsedMsg {
  if (payload.length < 5) throw new ProtocolError('OP_MSG too short');
  const flags = payload.readUInt32LE(0);
  const known = MsgFlag.checksumPresent | MsgFlag.moreToCome;
  if ((flags & 0xffff & ~known) !== 0) throw new ProtocolError(`OP_MSG has unknown required flag bits 0x${flags.toString(16)}`);
  const end = flags & MsgFlag.checksumPresent ? payload.length - 4 : payload.length;
  let offset = 4;
  let body: Document | undefined;
  let bodyRaw: Buffer | undefined;
  const rawSequences = new Map<string, Buffer[]>();
  const sequences = new Map<string, Document[]>();
  while (offset < end) {
    const kind = payload[offset]!;
    offset += 1;
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG has more than one kind-0 section');
      const read = readDocumentAt(payload, offset, end);
      body = read.doc;
      bodyRaw = read.raw;
      offset = read.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError('truncated OP_MSG document sequence');
      const size = payload.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError(`OP_MSG document sequence length ${size} does not fit`);
      const id = readCString(payload, offset + 4, sectionEnd);
      if (sequences.has(id.value)) throw new ProtocolError(`duplicate document sequence ${id.value}`);
      const docs: Document[] = [];
      const raws: Buffer[] = [];
      let at = id.next;
      while (at < sectionEnd) {
        const read = readDocumentAt(payload, at, sectionEnd);
        docs.push(read.doc);
        raws.push(read.raw);
        at = read.next;
      }
      sequences.set(id.value, docs);
      rawSequences.set(id.value, raws);
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a kind-0 body');
  for (const [id, docs] of sequences) {
    if (id in body) throw new ProtocolError(`document sequence ${id} duplicates a body field`);
    body[id] = docs;
  }
  return { body, bodyRaw: bodyRaw!, rawSequences, moreToCome: (flags & MsgFlag.moreToCome) !== 0 };
}
