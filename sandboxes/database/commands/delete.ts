import { selectDocuments } from '../query/select.ts';
import type { CommandHandler } from './command.ts';
import { collectionArg } from './helpers/arguments.ts';
import { onCollection } from './helpers/privileges.ts';
import { batchOf, writeErrorOf, writeReply, type WriteError } from './helpers/write-batch.ts';

export const deleteCommand: CommandHandler = {
  name: 'delete',
  auth: (ctx) => onCollection(ctx, ctx.cmd.delete, 'remove'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.delete)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const specs = batchOf(ctx, 'deletes');
    const ordered = ctx.cmd.ordered !== false;
    const coll = ctx.server.store.collection(ctx.db, name);
    const errors: WriteError[] = [];
    let n = 0;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      try {
        const limit = Number(spec.limit ?? 0);
        const matches = selectDocuments(coll, spec.q ?? {}, { limit: limit === 1 ? 1 : 0, scripts: ctx.scripts });
        for (const doc of matches) {
          ctx.server.store.remove(coll!, doc);
          n++;
        }
      } catch (error) {
        errors.push(writeErrorOf(i, error));
        if (ordered) break;
      }
    }
    return writeReply(n, errors);
  },
};
