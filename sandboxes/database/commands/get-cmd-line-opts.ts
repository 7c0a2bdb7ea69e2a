import type { CommandHandler } from './command.ts';
import { onCluster } from './helpers/privileges.ts';

export const getCmdLineOpts: CommandHandler = {
  name: 'getCmdLineOpts',
  auth: () => onCluster('getCmdLineOpts'),
  run: (ctx) => ({
    argv: ctx.server.argv,
    parsed: { ...(ctx.server.config.configPath ? { config: ctx.server.config.configPath } : {}), ...ctx.server.config.parsed },
    ok: 1,
  }),
};
