import type { Document } from 'bson';
import { CommandError } from '../errors.ts';
import { project, selectDocuments } from '../query/select.ts';
import type { CommandHandler } from './command.ts';
import { collectionArg, intOption } from './helpers/arguments.ts';
import { ownerOf } from './helpers/cursor-owner.ts';
import { onCollection } from './helpers/privileges.ts';

export const find: CommandHandler = {
  name: 'find',
  auth: (ctx) => onCollection(ctx, ctx.cmd.find, 'find'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.find)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const { cmd } = ctx;
    const skip = intOption(cmd, 'skip') ?? 0;
    let limit = intOption(cmd, 'limit') ?? 0;
    let batchSize = intOption(cmd, 'batchSize');
    let singleBatch = Boolean(cmd.singleBatch);
    if (skip < 0) throw new CommandError('BadValue', `Skip value must be non-negative, but received: ${skip}`);
    if (limit < 0) {
      // Legacy negative limit: one batch of |limit|.
      limit = -limit;
      singleBatch = true;
    }
    if (batchSize !== undefined && batchSize < 0) throw new CommandError('BadValue', `BatchSize value must be non-negative, but received: ${batchSize}`);
    const coll = ctx.server.store.collection(ctx.db, name);
    if (limit > 0 && (batchSize === undefined || batchSize > limit)) batchSize = limit;
    const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'object' && Object.keys(v as object).length === 0);
    if (coll && isEmpty(cmd.filter) && isEmpty(cmd.sort) && isEmpty(cmd.projection)) {
      // A plain dump: serve the stored bytes without deserializing a single document.
      const slots = coll.slots();
      const items = skip > 0 || limit > 0 ? slots.subarray(skip, limit > 0 ? skip + limit : undefined) : slots;
      return ctx.server.cursors.firstBatch(`${ctx.db}.${name}`, items, coll, ownerOf(ctx), batchSize, singleBatch);
    }
    const selected = selectDocuments(coll, cmd.filter, { sort: cmd.sort as Document | undefined, skip, limit, scripts: ctx.scripts });
    const projected = project(selected, cmd.projection);
    const source = projected === selected ? coll : undefined;
    return ctx.server.cursors.firstBatch(`${ctx.db}.${name}`, projected, source, ownerOf(ctx), batchSize, singleBatch);
  },
};
