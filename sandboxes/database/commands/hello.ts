import type { CommandHandler } from './command.ts';
import { helloReply } from './helpers/hello-reply.ts';

export const hello: CommandHandler = { name: 'hello', auth: 'none', unlogged: true, run: (ctx) => helloReply(ctx, false) };
