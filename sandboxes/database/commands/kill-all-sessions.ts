import type { CommandHandler } from './command.ts';

/** Sessions are not tracked, so there is nothing to kill (mongosh sends it on exit). */
export const killAllSessions: CommandHandler = { name: 'killAllSessions', auth: 'authenticated', run: () => ({ ok: 1 }) };
