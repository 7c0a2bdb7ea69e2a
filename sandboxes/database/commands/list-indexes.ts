import { CommandError } from '../errors.ts';
import type { CommandHandler } from './command.ts';
import { collectionArg, cursorBatchSize } from './helpers/arguments.ts';
import { ownerOf } from './helpers/cursor-owner.ts';
import { onCollection } from './helpers/privileges.ts';

export const listIndexes: CommandHandler = {
  name: 'listIndexes',
  auth: (ctx) => onCollection(ctx, ctx.cmd.listIndexes, 'listIndexes'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.listIndexes)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const coll = ctx.server.store.collection(ctx.db, name);
    if (!coll) throw new CommandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
    return ctx.server.cursors.firstBatch(`${ctx.db}.${name}`, coll.indexes.map((i) => ({ ...i })), undefined, ownerOf(ctx), cursorBatchSize(ctx.cmd));
  },
};
