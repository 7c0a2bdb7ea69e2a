import type { CommandHandler } from './command.ts';

/** Sessions are tolerated and not tracked: lsid is ignored everywhere. */
export const endSessions: CommandHandler = { name: 'endSessions', auth: 'none', unlogged: true, run: () => ({ ok: 1 }) };
