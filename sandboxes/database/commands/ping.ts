import type { CommandHandler } from './context.ts';

export const ping: CommandHandler = { name: 'ping', auth: 'none', run: () => ({ ok: 1 }) };
