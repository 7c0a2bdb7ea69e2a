import { saslContinue as continueConversation } from '../auth/sasl.ts';
import type { CommandHandler } from './command.ts';

export const saslContinue: CommandHandler = { name: 'saslContinue', auth: 'none', unlogged: true, run: (ctx) => continueConversation(ctx, ctx.cmd) };
