import { Int32, type Document } from 'bson';
import { CommandError } from '../errors.ts';
import type { IndexSpec } from '../storage/collection.ts';
import type { CommandHandler } from './command.ts';
import { collectionArg } from './helpers/arguments.ts';
import { onCollection } from './helpers/privileges.ts';
import { targetCollection } from './helpers/write-batch.ts';

function defaultIndexName(key: Document): string {
  return Object.entries(key).map(([field, dir]) => `${field}_${String(dir)}`).join('_');
}

/**
 * Indexes are recorded and listed (apps and mongosh create them) and unique ones are
 * enforced; queries still scan, which is fine at lab sizes.
 */
export const createIndexes: CommandHandler = {
  name: 'createIndexes',
  auth: (ctx) => onCollection(ctx, ctx.cmd.createIndexes, 'createIndex'),
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
