import { Int32 } from 'bson';
import type { CommandHandler } from './command.ts';
import { onDb } from './helpers/privileges.ts';

export const dbStats: CommandHandler = {
  name: 'dbStats',
  aliases: ['dbstats'],
  auth: (ctx) => onDb(ctx, 'dbStats'),
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: (ctx) => {
    const colls = ctx.server.store.collections(ctx.db);
    const objects = colls.reduce((n, c) => n + c.size, 0);
    const dataSize = colls.reduce((n, c) => n + c.dataSize(), 0);
    return {
      db: ctx.db,
      collections: new Int32(colls.length),
      views: new Int32(0),
      objects,
      avgObjSize: objects ? dataSize / objects : 0,
      dataSize,
      storageSize: dataSize,
      indexes: new Int32(colls.reduce((n, c) => n + c.indexes.length, 0)),
      indexSize: 0,
      totalSize: dataSize,
      scaleFactor: new Int32(1),
      ok: 1,
    };
  },
};
