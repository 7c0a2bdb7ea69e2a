import type { CommandHandler } from './command.ts';
import { onDb } from './helpers/privileges.ts';

export const dropAllUsersFromDatabase: CommandHandler = {
  name: 'dropAllUsersFromDatabase',
  auth: (ctx) => onDb(ctx, 'dropUser'),
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: (ctx) => {
    const mine = ctx.server.users.all().filter((u) => u.db === ctx.db);
    for (const u of mine) ctx.server.users.drop(u.db, u.user);
    return { n: mine.length, ok: 1 };
  },
};
