import type { CommandHandler } from './command.ts';

export const logout: CommandHandler = {
  name: 'logout',
  auth: 'none',
  run: (ctx) => {
    ctx.conn.user = undefined;
    return { ok: 1 };
  },
};
