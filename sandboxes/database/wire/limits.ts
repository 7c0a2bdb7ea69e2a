/** mongod's own limits, advertised in hello and enforced on every message. */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
export const MAX_WRITE_BATCH_SIZE = 100_000;
/** A reply may exceed a stored document's limit by mongod's 16 KiB of envelope slack. */
export const MAX_REPLY_BATCH_BYTES = MAX_BSON_OBJECT_SIZE - 16 * 1024;
export const HEADER_SIZE = 16;
/** Deepest BSON mongod reads off the wire (BSONDepth's default maximum). */
export const MAX_WIRE_NESTING_DEPTH = 200;
/** Deepest document mongod stores (getMaxDepthForUserStorage: the wire limit less 100 for envelopes). */
export const MAX_STORED_NESTING_DEPTH = 100;

export const OpCode = {
  REPLY: 1,
  UPDATE: 2001,
  INSERT: 2002,
  QUERY: 2004,
  GET_MORE: 2005,
  DELETE: 2006,
  KILL_CURSORS: 2007,
  COMPRESSED: 2012,
  MSG: 2013,
} as const;
