import { Int32 } from 'bson';
import { MAX_BSON_OBJECT_SIZE } from '../wire/limits.ts';
import type { CommandHandler } from './context.ts';

/** The lab server presents itself as a 7.0 mongod, the version the lessons describe. */
export const SERVER_VERSION = '7.0.14';

export const buildInfo: CommandHandler = {
  name: 'buildInfo',
  aliases: ['buildinfo'],
  auth: 'none',
  run: () => ({
    version: SERVER_VERSION,
    gitVersion: 'cloudpets-breach-lab',
    modules: [],
    allocator: 'system',
    javascriptEngine: 'none',
    sysInfo: 'deprecated',
    versionArray: SERVER_VERSION.split('.').map((n) => new Int32(Number(n))).concat([new Int32(0)]),
    openssl: { running: 'disabled', compiled: 'disabled' },
    buildEnvironment: { distmod: 'cloudpets-lab', target_os: 'webcontainer' },
    bits: 64,
    debug: false,
    maxBsonObjectSize: new Int32(MAX_BSON_OBJECT_SIZE),
    storageEngines: ['lab-journal'],
    ok: 1,
  }),
};
