import { Int32, type Document } from 'bson';
import { asStored, updatedDocument, upsertDocument } from '../query/apply-update.ts';
import { selectDocuments } from '../query/select.ts';
import type { CommandHandler } from './command.ts';
import { collectionArg } from './helpers/arguments.ts';
import { commandWithInt64, updateSpecWithInt64 } from './helpers/int64-command.ts';
import { onCollection } from './helpers/privileges.ts';
import { batchOf, checkStorable, targetCollection, writeErrorOf, writeReply, type WriteError } from './helpers/write-batch.ts';

export const update: CommandHandler = {
  name: 'update',
  auth: (ctx) => {
    const updates = Array.isArray(ctx.cmd.updates) ? (ctx.cmd.updates as Document[]) : [];
    return onCollection(ctx, ctx.cmd.update, 'update', ...(updates.some((u) => u?.upsert) ? ['insert' as const] : []));
  },
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.update)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const specs = batchOf(ctx, 'updates');
    const exactSpecs = commandWithInt64(ctx).updates as Document[] | undefined;
    const ordered = ctx.cmd.ordered !== false;
    const { store } = ctx.server;
    const errors: WriteError[] = [];
    const upserted: Document[] = [];
    let n = 0;
    let nModified = 0;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      const u = updateSpecWithInt64(spec.u, exactSpecs?.[i]?.u);
      try {
        const coll = targetCollection(ctx, name, Boolean(spec.upsert));
        const matches = selectDocuments(coll, spec.q ?? {}, { limit: spec.multi ? 0 : 1, sort: spec.sort as Document | undefined, scripts: ctx.scripts });
        if (matches.length === 0 && spec.upsert && coll) {
          const { doc, raw } = asStored(upsertDocument(spec.q as Document, u, spec.arrayFilters as Document[] | undefined));
          checkStorable(raw, 'insert');
          store.insert(coll, doc, raw);
          upserted.push({ index: new Int32(i), _id: doc._id });
          n++;
          continue;
        }
        for (const old of matches) {
          const oldRaw = coll!.rawOf(old);
          const { doc: next, raw } = asStored(updatedDocument(old, oldRaw, u, spec.arrayFilters as Document[] | undefined));
          checkStorable(raw, 'update');
          n++;
          if (Buffer.compare(raw, oldRaw) !== 0) {
            store.replace(coll!, old, next, raw);
            nModified++;
          }
        }
      } catch (error) {
        errors.push(writeErrorOf(i, error));
        if (ordered) break;
      }
    }
    return writeReply(n, errors, { nModified: new Int32(nModified), ...(upserted.length ? { upserted } : {}) });
  },
};
