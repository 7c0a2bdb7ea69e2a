import type { CommandHandler } from './command.ts';

export const ping: CommandHandler = { name: 'ping', auth: 'none', unlogged: true, run: () => ({ ok: 1 }) };
