import { Int32 } from 'bson';
import { MAX_BSON_OBJECT_SIZE } from '../wire/limits.ts';
import type { CommandHandler } from './command.ts';

import { versionArray } from '../version.ts';

export const buildInfo: CommandHandler = {
  name: 'buildInfo',
  aliases: ['buildinfo'],
  auth: 'none',
  unlogged: true,
  run: (ctx) => ({
    version: ctx.server.version,
    gitVersion: 'cloudpets-breach-lab',
    modules: [],
    allocator: 'system',
    javascriptEngine: 'none',
    sysInfo: 'deprecated',
    versionArray: versionArray(ctx.server.version),
    openssl: { running: 'disabled', compiled: 'disabled' },
    buildEnvironment: { distmod: 'cloudpets-lab', target_os: 'webcontainer' },
    bits: 64,
    debug: false,
    maxBsonObjectSize: new Int32(MAX_BSON_OBJECT_SIZE),
    storageEngines: ['lab-journal'],
    ok: 1,
  }),
};
