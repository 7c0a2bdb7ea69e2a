import { Int32, type Document } from 'bson';
import { updatedDocument, upsertDocument } from '../query/apply-update.ts';
import { selectDocuments } from '../query/select.ts';
import { collectionArg, onCollection, onDb, type CommandHandler, scriptsOn } from './context.ts';
import { batchOf, checkSize, targetCollection, writeErrorOf, writeReply, type WriteError } from './write-helpers.ts';
import { serialize } from 'bson';

export const update: CommandHandler = {
  name: 'update',
  auth: (ctx) => {
    const privileges = onCollection(ctx, ctx.cmd.update, 'update');
    const updates = Array.isArray(ctx.cmd.updates) ? (ctx.cmd.updates as Document[]) : [];
    if (updates.some((u) => u?.upsert)) privileges.push(...onDb(ctx, 'insert'));
    return privileges;
  },
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.update)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const specs = batchOf(ctx, 'updates');
    const ordered = ctx.cmd.ordered !== false;
    const { store } = ctx.server;
    const errors: WriteError[] = [];
    const upserted: Document[] = [];
    let n = 0;
    let nModified = 0;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      try {
        const coll = targetCollection(ctx, name, Boolean(spec.upsert));
        const matches = selectDocuments(coll, spec.q ?? {}, { limit: spec.multi ? 0 : 1, sort: spec.sort as Document | undefined, javascriptEnabled: scriptsOn(ctx) });
        if (matches.length === 0 && spec.upsert && coll) {
          const doc = upsertDocument(store, ctx.db, spec.q as Document, spec.u as Document, spec.arrayFilters as Document[] | undefined);
          checkSize(serialize(doc));
          store.insert(coll, doc);
          upserted.push({ index: new Int32(i), _id: doc._id });
          n++;
          continue;
        }
        for (const old of matches) {
          const oldRaw = coll!.rawOf(old);
          const next = updatedDocument(store, ctx.db, old, oldRaw, spec.u as Document, spec.arrayFilters as Document[] | undefined);
          const raw = serialize(next);
          checkSize(raw);
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
