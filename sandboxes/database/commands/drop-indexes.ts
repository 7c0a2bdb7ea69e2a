import { Int32 } from 'bson';
import { CommandError } from '../errors.ts';
import type { CommandHandler } from './command.ts';
import { collectionArg } from './helpers/arguments.ts';
import { onCollection } from './helpers/privileges.ts';

export const dropIndexes: CommandHandler = {
  name: 'dropIndexes',
  aliases: ['deleteIndexes'],
  auth: (ctx) => onCollection(ctx, ctx.cmd.dropIndexes ?? ctx.cmd.deleteIndexes, 'dropIndex'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.dropIndexes ?? ctx.cmd.deleteIndexes)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const coll = ctx.server.store.collection(ctx.db, name);
    if (!coll) throw new CommandError('NamespaceNotFound', `ns not found ${ctx.db}.${name}`);
    const before = coll.indexes.length;
    const which = ctx.cmd.index;
    const targets: string[] = [];
    if (which === '*') targets.push(...coll.indexes.filter((i) => i.name !== '_id_').map((i) => i.name));
    else for (const item of Array.isArray(which) ? which : [which]) {
      const found = typeof item === 'string' ? coll.indexes.find((i) => i.name === item) : coll.indexes.find((i) => JSON.stringify(i.key) === JSON.stringify(item));
      if (!found) {
        throw new CommandError('IndexNotFound', typeof item === 'string' ? `index not found with name [${item}]` : `can't find index with key: ${JSON.stringify(item)}`);
      }
      if (found.name === '_id_') throw new CommandError('InvalidOptions', 'cannot drop _id index');
      targets.push(found.name);
    }
    for (const target of targets) ctx.server.store.dropIndex(coll, target);
    return { nIndexesWas: new Int32(before), ok: 1 };
  },
};
