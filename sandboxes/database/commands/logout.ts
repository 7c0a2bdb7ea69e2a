import type { CommandHandler } from './context.ts';

export const logout: CommandHandler = {
  name: 'logout',
  auth: 'none',
  run: (ctx) => {
    ctx.conn.user = undefined;
    return { ok: 1 };
  },
};

/** Sessions are tolerated and not tracked: lsid is ignored everywhere. */
export const endSessions: CommandHandler = { name: 'endSessions', auth: 'none', run: () => ({ ok: 1 }) };
export const killAllSessions: CommandHandler = { name: 'killAllSessions', auth: 'authenticated', run: () => ({ ok: 1 }) };
