import type { CommandHandler } from './command.ts';

/** whatsmyuri: the address this connection comes from, as the server sees it. */
export const whatsmyuri: CommandHandler = {
  name: 'whatsmyuri',
  auth: 'none',
  run: (ctx) => ({ you: ctx.conn.remote, ok: 1 }),
};
