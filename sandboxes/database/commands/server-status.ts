import { Int32, Long } from 'bson';
import { SERVER_VERSION } from '../version.ts';
import type { CommandHandler } from './command.ts';
import { onCluster } from './helpers/privileges.ts';

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
