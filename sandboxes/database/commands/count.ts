import { Int32, type Document } from 'bson';
import { selectDocuments } from '../query/select.ts';
import type { CommandHandler } from './command.ts';
import { collectionArg } from './helpers/arguments.ts';
import { onCollection } from './helpers/privileges.ts';

/** count: estimatedDocumentCount sends it without a query; then it is the stored size. */
export const count: CommandHandler = {
  name: 'count',
  auth: (ctx) => onCollection(ctx, ctx.cmd.count, 'find'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.count)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const coll = ctx.server.store.collection(ctx.db, name);
    const query = ctx.cmd.query as Document | undefined;
    const skip = Math.max(0, Number(ctx.cmd.skip ?? 0));
    const limit = Math.abs(Number(ctx.cmd.limit ?? 0));
    let n: number;
    if (!query || Object.keys(query).length === 0) {
      n = Math.max(0, (coll?.size ?? 0) - skip);
      if (limit > 0) n = Math.min(n, limit);
    } else {
      n = selectDocuments(coll, query, { skip, limit, scripts: ctx.scripts }).length;
    }
    return { n: new Int32(n), ok: 1 };
  },
};
