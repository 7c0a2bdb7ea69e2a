import { ObjectId, serialize } from 'bson';
import { CommandError } from '../errors.ts';
import { rawArrayElements, rawWithIdFirst } from '../wire/raw-bson.ts';
import type { CommandHandler } from './command.ts';
import { collectionArg } from './helpers/arguments.ts';
import { onCollection } from './helpers/privileges.ts';
import { batchOf, checkStorable, targetCollection, writeErrorOf, writeReply, type WriteError } from './helpers/write-batch.ts';

/** Puts a generated _id in front of a document's bytes without re-encoding the rest. */
function prependObjectId(raw: Uint8Array, id: ObjectId): Uint8Array {
  const element = Buffer.alloc(1 + 4 + 12);
  element[0] = 0x07;
  element.write('_id\0', 1, 'latin1');
  Buffer.from(id.id).copy(element, 5);
  const out = Buffer.allocUnsafe(raw.length + element.length);
  out.writeInt32LE(out.length, 0);
  element.copy(out, 4);
  out.set(raw.subarray(4), 4 + element.length);
  return out;
}

export const insert: CommandHandler = {
  name: 'insert',
  auth: (ctx) => onCollection(ctx, ctx.cmd.insert, 'insert'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.insert)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const docs = batchOf(ctx, 'documents');
    // Keep the bytes as the client sent them (an int64 stays an int64), from a kind-1 sequence
    // or from the body, as the driver's insertOne sends them.
    const fromBody = ctx.bodyRaw && Array.isArray(ctx.cmd.documents) ? rawArrayElements(ctx.bodyRaw, 'documents') : undefined;
    const raws = ctx.rawSequences.get('documents') ?? (fromBody?.length === docs.length ? fromBody : undefined);
    const ordered = ctx.cmd.ordered !== false;
    const coll = targetCollection(ctx, name, true)!;
    const errors: WriteError[] = [];
    let n = 0;
    for (let i = 0; i < docs.length; i++) {
      try {
        let doc = docs[i]!;
        if (typeof doc !== 'object' || doc === null) throw new CommandError('TypeMismatch', 'documents must be objects');
        let raw: Uint8Array | undefined = raws?.[i];
        if (doc._id === undefined) {
          const id = new ObjectId();
          doc = { _id: id, ...doc };
          raw = raw ? prependObjectId(raw, id) : undefined;
        } else if (Array.isArray(doc._id)) {
          throw new CommandError('InvalidIdField', "The '_id' value cannot be of type array");
        } else if (Object.keys(doc)[0] !== '_id') {
          // mongod stores _id as the first field (the driver appends a generated one last).
          const { _id, ...rest } = doc;
          doc = { _id, ...rest };
          raw = raw ? rawWithIdFirst(Buffer.from(raw)) : undefined;
        }
        // Raw bytes are kept only when they came as sent (kind-1); otherwise encode once now.
        raw ??= serialize(doc);
        checkStorable(raw, 'insert');
        ctx.server.store.insert(coll, doc, Buffer.from(raw));
        n++;
      } catch (error) {
        errors.push(writeErrorOf(i, error));
        if (ordered) break;
      }
    }
    return writeReply(n, errors);
  },
};

