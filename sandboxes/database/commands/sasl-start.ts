import { saslStart as startConversation } from '../auth/sasl.ts';
import type { CommandHandler } from './command.ts';

export const saslStart: CommandHandler = { name: 'saslStart', auth: 'none', unlogged: true, run: (ctx) => startConversation(ctx, ctx.cmd) };
