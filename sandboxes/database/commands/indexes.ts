import { Int32, type Document } from 'bson';
import { CommandError } from '../errors.ts';
import type { IndexSpec } from '../storage/collection.ts';
import { collectionArg, onDb, type CommandHandler } from './context.ts';
import { ownerOf } from './list-collections.ts';
import { targetCollection } from './write-helpers.ts';

function defaultIndexName(key: Document): string {
  return Object.entries(key).map(([field, dir]) => `${field}_${String(dir)}`).join('_');
}

/**
 * Indexes are recorded and listed (apps and mongosh create them) and unique ones are
 * enforced; queries still scan, which is fine at lab sizes.
 */
export const createIndexes: CommandHandler = {
  name: 'createIndexes',
  auth: (ctx) => onDb(ctx, 'createIndex'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.createIndexes)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const specs = ctx.cmd.indexes;
    if (!Array.isArray(specs) || specs.length === 0) throw new CommandError('BadValue', 'Must specify at least one index to create');
    const existedBefore = Boolean(ctx.server.store.collection(ctx.db, name));
    const coll = targetCollection(ctx, name, true)!;
    const before = coll.indexes.length;
    for (const raw of specs as Document[]) {
      if (!raw?.key || typeof raw.key !== 'object' || Object.keys(raw.key).length === 0) {
        throw new CommandError('FailedToParse', "The 'key' field is a required property of an index specification");
      }
      const { v: _v, key, name: _name, ...rest } = raw;
      void _v; void _name;
      const spec: IndexSpec = { v: 2, key: key as Document, name: typeof raw.name === 'string' ? raw.name : defaultIndexName(key as Document), ...rest };
      const sameName = coll.indexes.find((i) => i.name === spec.name);
      const sameKey = coll.indexes.find((i) => JSON.stringify(i.key) === JSON.stringify(spec.key));
      if (sameName && JSON.stringify(sameName.key) !== JSON.stringify(spec.key)) {
        throw new CommandError('IndexKeySpecsConflict', `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName)}`);
      }
      if (sameKey && sameKey.name !== spec.name) {
        throw new CommandError('IndexOptionsConflict', `Index already exists with a different name: ${sameKey.name}`);
      }
      if (sameName) continue;
      ctx.server.store.addIndex(coll, spec);
    }
    return {
      numIndexesBefore: new Int32(before),
      numIndexesAfter: new Int32(coll.indexes.length),
      createdCollectionAutomatically: !existedBefore,
      ...(before === coll.indexes.length ? { note: 'all indexes already exist' } : {}),
      ok: 1,
    };
  },
};

export const listIndexes: CommandHandler = {
  name: 'listIndexes',
  auth: (ctx) => onDb(ctx, 'listIndexes'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.listIndexes)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const coll = ctx.server.store.collection(ctx.db, name);
    if (!coll) throw new CommandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
    const batchSize = (ctx.cmd.cursor as Document | undefined)?.batchSize as number | undefined;
    return ctx.server.cursors.firstBatch(`${ctx.db}.${name}`, coll.indexes.map((i) => ({ ...i })), undefined, ownerOf(ctx), batchSize);
  },
};

export const dropIndexes: CommandHandler = {
  name: 'dropIndexes',
  aliases: ['deleteIndexes'],
  auth: (ctx) => onDb(ctx, 'dropIndex'),
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
