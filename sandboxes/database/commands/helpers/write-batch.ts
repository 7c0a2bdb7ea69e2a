import { Int32, type Document } from 'bson';
import { CommandError } from '../../errors.ts';
import type { Collection } from '../../storage/collection.ts';
import { MAX_BSON_OBJECT_SIZE, MAX_STORED_NESTING_DEPTH, MAX_WRITE_BATCH_SIZE } from '../../wire/limits.ts';
import { nestingDepth } from '../../wire/raw-bson.ts';
import type { CommandContext } from '../command.ts';
import { checkCollectionName } from './names.ts';

export interface WriteError {
  index: number;
  code: number;
  errmsg: string;
  codeName?: string;
}

export function writeErrorOf(index: number, error: unknown): WriteError {
  if (error instanceof CommandError) return { index, code: error.code, codeName: error.codeName, errmsg: error.message };
  throw error;
}

/** The batch array of a write command, checked for type and mongod's batch size limit. */
export function batchOf(ctx: CommandContext, field: string): Document[] {
  const items = ctx.cmd[field];
  if (!Array.isArray(items)) throw new CommandError('TypeMismatch', `BSON field '${Object.keys(ctx.cmd)[0]}.${field}' is missing but a required field`);
  if (items.length > MAX_WRITE_BATCH_SIZE) {
    throw new CommandError('InvalidOptions', `Write batch sizes must be between 1 and ${MAX_WRITE_BATCH_SIZE}. Got ${items.length} operations.`);
  }
  return items as Document[];
}

export function targetCollection(ctx: CommandContext, name: string, create: boolean): Collection | undefined {
  const existing = ctx.server.store.collection(ctx.db, name);
  if (existing || !create) return existing;
  checkCollectionName(ctx.db, name);
  return ctx.server.store.ensureCollection(ctx.db, name);
}

/**
 * What mongod checks before it stores a document: at most 16 MB and at most 100 levels deep,
 * with mongod's wording for an insert and for an update. A deeper document would be accepted
 * here and break every later update and read of it.
 */
export function checkStorable(raw: Uint8Array, operation: 'insert' | 'update'): void {
  if (raw.length > MAX_BSON_OBJECT_SIZE) {
    throw new CommandError('BSONObjectTooLarge', `object to insert too large. size in bytes: ${raw.length}, max size: ${MAX_BSON_OBJECT_SIZE}`);
  }
  if (nestingDepth(raw, MAX_STORED_NESTING_DEPTH) > MAX_STORED_NESTING_DEPTH) {
    throw new CommandError('Overflow', operation === 'insert'
      ? `cannot insert document because it exceeds ${MAX_STORED_NESTING_DEPTH} levels of nesting`
      : `Document exceeds maximum nesting depth of ${MAX_STORED_NESTING_DEPTH}`);
  }
}

export function writeReply(n: number, errors: WriteError[], extra: Document = {}): Document {
  const reply: Document = { n: new Int32(n), ...extra };
  if (errors.length > 0) reply.writeErrors = errors;
  reply.ok = 1;
  return reply;
}
