import { CommandError } from '../errors.ts';
import type { CommandHandler } from './command.ts';
import { collectionArg } from './helpers/arguments.ts';
import { onCollection } from './helpers/privileges.ts';

export const collStats: CommandHandler = {
  name: 'collStats',
  aliases: ['collstats'],
  auth: (ctx) => onCollection(ctx, ctx.cmd.collStats ?? ctx.cmd.collstats, 'collStats'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.collStats ?? ctx.cmd.collstats)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const coll = ctx.server.store.collection(ctx.db, name);
    if (!coll) throw new CommandError('NamespaceNotFound', `Collection [${ctx.db}.${name}] not found.`);
    const size = coll.dataSize();
    return { ns: coll.ns, count: coll.size, size, avgObjSize: coll.size ? size / coll.size : 0, storageSize: size, nindexes: coll.indexes.length, ok: 1 };
  },
};
