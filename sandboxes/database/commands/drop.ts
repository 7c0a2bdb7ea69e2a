import { Int32 } from 'bson';
import { CommandError } from '../errors.ts';
import { collectionArg, onDb, type CommandHandler } from './context.ts';

export const drop: CommandHandler = {
  name: 'drop',
  auth: (ctx) => onDb(ctx, 'dropCollection'),
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

export const dropDatabase: CommandHandler = {
  name: 'dropDatabase',
  auth: (ctx) => onDb(ctx, 'dropDatabase'),
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: (ctx) => {
    const existed = ctx.server.store.databaseNames().includes(ctx.db);
    ctx.server.store.dropDatabase(ctx.db);
    return existed ? { dropped: ctx.db, ok: 1 } : { ok: 1 };
  },
};
