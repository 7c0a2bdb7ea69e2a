import { deserialize, type Document } from 'bson';
import type { CommandContext } from '../command.ts';

/**
 * The command as the client sent it, with int64 values kept as Long. The ordinary parse
 * turns every int64 that fits a double into a JS number (what queries need), which would make
 * `$set: {n: Long(5)}` store an int32; update specs are read from here instead.
 */
export function commandWithInt64(ctx: CommandContext): Document {
  if (!ctx.bodyRaw) return ctx.cmd;
  const exact = deserialize(ctx.bodyRaw, { promoteLongs: false });
  for (const [id, raws] of ctx.rawSequences) exact[id] = raws.map((raw) => deserialize(raw, { promoteLongs: false }));
  return exact;
}

/** An update spec with its int64 values, except a pipeline, whose expressions want numbers. */
export function updateSpecWithInt64(plain: unknown, exact: unknown): Document | Document[] {
  return (Array.isArray(plain) || !exact ? plain : exact) as Document | Document[];
}
