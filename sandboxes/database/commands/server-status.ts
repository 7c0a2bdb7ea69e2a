import { Int32, Long } from 'bson';
import type { CommandHandler } from './command.ts';
import { onCluster } from './helpers/privileges.ts';

export const serverStatus: CommandHandler = {
  name: 'serverStatus',
  auth: () => onCluster('serverStatus'),
  run: (ctx) => ({
    host: 'db.cloudpets.test',
    version: ctx.server.version,
    process: 'mongod',
    pid: Long.fromNumber(process.pid),
    uptime: (Date.now() - ctx.server.startedAt.getTime()) / 1000,
    localTime: new Date(),
    connections: { current: new Int32(ctx.server.connectionCount()), available: new Int32(819200) },
    ok: 1,
  }),
};
