import type { Document } from 'bson';
import { CommandError } from '../../errors.ts';
import type { CommandContext } from '../command.ts';

/** The collection name a command's first field names, checked like mongod checks it. */
export function collectionArg(ctx: CommandContext, field?: string): string {
  const key = field ?? Object.keys(ctx.cmd)[0]!;
  const value = ctx.cmd[key];
  if (typeof value !== 'string' || value.length === 0) {
    throw new CommandError('InvalidNamespace', `collection name has invalid type ${typeNameOf(value)}`);
  }
  return value;
}

/** An optional integer option (skip, limit, batchSize). */
export function intOption(cmd: Document, key: string): number | undefined {
  const value = cmd[key];
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || !Number.isInteger(n)) throw new CommandError('TypeMismatch', `Field '${key}' should be an integer`);
  return n;
}

/** The BSON type name mongod uses in its messages. */
export function typeNameOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'object') return (value as { _bsontype?: string })._bsontype?.toLowerCase() ?? 'object';
  return typeof value;
}

/** The cursor.batchSize of aggregate, listCollections and listIndexes. */
export function cursorBatchSize(cmd: Document): number | undefined {
  return (cmd.cursor as Document | undefined)?.batchSize as number | undefined;
}
