import type { CommandHandler } from './command.ts';
import { helloReply } from './helpers/hello-reply.ts';

/** The handshake's legacy name: the driver's first message arrives as OP_QUERY isMaster. */
export const isMaster: CommandHandler = { name: 'isMaster', aliases: ['ismaster'], auth: 'none', unlogged: true, run: (ctx) => helloReply(ctx, true) };
