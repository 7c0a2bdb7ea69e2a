import type { CommandHandler } from './command.ts';
import { onDb } from './helpers/privileges.ts';
import { userArg } from './helpers/user-arguments.ts';

export const dropUser: CommandHandler = {
  name: 'dropUser',
  auth: (ctx) => onDb(ctx, 'dropUser'),
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: (ctx) => {
    ctx.server.users.drop(ctx.db, userArg(ctx, 'dropUser'));
    return { ok: 1 };
  },
};
