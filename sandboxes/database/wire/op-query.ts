import type { Document } from 'bson';
import { ProtocolError } from '../errors.ts';
import { readCString, readDocumentAt } from './bson-reader.ts';

export interface ParsedQuery {
  fullCollectionName: string;
  query: Document;
}

/**
 * Legacy OP_QUERY: the drivers still send their very first handshake this way (against
 * `admin.$cmd`), so it is parsed only far enough to run a command.
 */
export function parseOpQuery(payload: Buffer): ParsedQuery {
  if (payload.length < 4) throw new ProtocolError('OP_QUERY too short');
  const ns = readCString(payload, 4, payload.length);
  const afterCounts = ns.next + 8;
  if (afterCounts > payload.length) throw new ProtocolError('truncated OP_QUERY');
  const read = readDocumentAt(payload, afterCounts, payload.length);
  let query = read.doc;
  // Old clients wrap the command as {$query: {...}, $readPreference: ...}.
  if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
  return { fullCollectionName: ns.value, query };
}
