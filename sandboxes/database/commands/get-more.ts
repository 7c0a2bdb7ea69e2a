import { Long } from 'bson';
import { cursorIdOf } from '../cursors.ts';
import { CommandError } from '../errors.ts';
import { onCollection, type CommandHandler } from './context.ts';
import { ownerOf } from './list-collections.ts';

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

export const killCursors: CommandHandler = {
  name: 'killCursors',
  auth: (ctx) => onCollection(ctx, ctx.cmd.killCursors, 'find'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.killCursors)}`,
  run: (ctx) => {
    const ids = Array.isArray(ctx.cmd.cursors) ? ctx.cmd.cursors.map(cursorIdOf) : [];
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (ctx.server.cursors.kill(id) ? killed : notFound).push(Long.fromBigInt(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  },
};
