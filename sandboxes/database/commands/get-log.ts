import { Int32 } from 'bson';
import { CommandError } from '../errors.ts';
import type { CommandHandler } from './command.ts';
import { onCluster } from './helpers/privileges.ts';

/** getLog: mongosh shows "startupWarnings" when it connects; "global" is the recent log. */
export const getLog: CommandHandler = {
  name: 'getLog',
  auth: () => onCluster('getLog'),
  run: (ctx) => {
    const which = ctx.cmd.getLog;
    if (which === '*') return { names: ['global', 'startupWarnings'], ok: 1 };
    if (which === 'startupWarnings') {
      const log = ctx.server.log.startupWarnings;
      return { totalLinesWritten: new Int32(log.length), log, ok: 1 };
    }
    if (which === 'global') {
      const log = ctx.server.log.recent();
      return { totalLinesWritten: new Int32(log.length), log, ok: 1 };
    }
    throw new CommandError('OperationFailed', `No log named '${String(which)}'`);
  },
};
