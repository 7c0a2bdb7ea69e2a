import { Int32 } from 'bson';
import { CommandError } from '../errors.ts';
import { collectionArg } from './helpers/arguments.ts';
import { onCollection } from './helpers/privileges.ts';
import type { CommandHandler } from './command.ts';

export const drop: CommandHandler = {
  name: 'drop',
  auth: (ctx) => onCollection(ctx, ctx.cmd.drop, 'dropCollection'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.drop)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const coll = ctx.server.store.collection(ctx.db, name);
    if (!coll) throw new CommandError('NamespaceNotFound', 'ns not found');
    const nIndexesWas = coll.indexes.length;
    ctx.server.store.dropCollection(ctx.db, name);
    return { nIndexesWas: new Int32(nIndexesWas), ns: `${ctx.db}.${name}`, ok: 1 };
  },
};
