import { Int32, Long } from 'bson';
import { CommandError } from '../errors.ts';
import { collectionArg, onCluster, onDb, type CommandHandler } from './context.ts';
import { SERVER_VERSION } from '../version.ts';

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

export const collStats: CommandHandler = {
  name: 'collStats',
  aliases: ['collstats'],
  auth: (ctx) => onDb(ctx, 'collStats'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.collStats ?? ctx.cmd.collstats)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const coll = ctx.server.store.collection(ctx.db, name);
    if (!coll) throw new CommandError('NamespaceNotFound', `Collection [${ctx.db}.${name}] not found.`);
    const size = coll.dataSize();
    return { ns: coll.ns, count: coll.size, size, avgObjSize: coll.size ? size / coll.size : 0, storageSize: size, nindexes: coll.indexes.length, ok: 1 };
  },
};

export const serverStatus: CommandHandler = {
  name: 'serverStatus',
  auth: () => onCluster('serverStatus'),
  run: (ctx) => ({
    host: 'db.cloudpets.test',
    version: SERVER_VERSION,
    process: 'mongod',
    pid: Long.fromNumber(process.pid),
    uptime: (Date.now() - ctx.server.startedAt.getTime()) / 1000,
    localTime: new Date(),
    connections: { current: new Int32(ctx.server.connectionCount()), available: new Int32(819200) },
    ok: 1,
  }),
};

export const hostInfo: CommandHandler = {
  name: 'hostInfo',
  auth: () => onCluster('serverStatus'),
  run: () => ({ system: { hostname: 'db.cloudpets.test', currentTime: new Date() }, os: { type: 'Linux', name: 'CloudPets lab' }, ok: 1 }),
};
