import { CommandError } from '../errors.ts';
import { cursorIdOf } from '../cursors.ts';
import type { CommandHandler } from './command.ts';
import { ownerOf } from './helpers/cursor-owner.ts';
import { onCollection } from './helpers/privileges.ts';

export const getMore: CommandHandler = {
  name: 'getMore',
  auth: (ctx) => onCollection(ctx, ctx.cmd.collection, 'find'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.collection)}`,
  run: (ctx) => {
    const id = cursorIdOf(ctx.cmd.getMore);
    if (typeof ctx.cmd.collection !== 'string') throw new CommandError('TypeMismatch', "Field 'collection' must be of type string");
    const batchSize = ctx.cmd.batchSize === undefined ? undefined : Number(ctx.cmd.batchSize);
    return ctx.server.cursors.nextBatch(id, `${ctx.db}.${ctx.cmd.collection}`, ownerOf(ctx), batchSize);
  },
};
