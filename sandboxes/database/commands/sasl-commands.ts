import { saslContinue as continueConversation, saslStart as startConversation } from '../auth/sasl.ts';
import type { CommandHandler } from './context.ts';

export const saslStart: CommandHandler = { name: 'saslStart', auth: 'none', run: (ctx) => startConversation(ctx, ctx.cmd) };
export const saslContinue: CommandHandler = { name: 'saslContinue', auth: 'none', run: (ctx) => continueConversation(ctx, ctx.cmd) };
