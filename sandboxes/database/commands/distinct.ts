import type { Document } from 'bson';
import { resolve } from 'mingo/util';
import { CommandError } from '../errors.ts';
import { selectDocuments } from '../query/select.ts';
import { keyOf } from '../storage/id-key.ts';
import type { CommandHandler } from './command.ts';
import { collectionArg } from './helpers/arguments.ts';
import { onCollection } from './helpers/privileges.ts';

/** distinct: the different values of a field (array values count element by element, as in mongod). */
export const distinct: CommandHandler = {
  name: 'distinct',
  auth: (ctx) => onCollection(ctx, ctx.cmd.distinct, 'find'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.distinct)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const key = ctx.cmd.key;
    if (typeof key !== 'string' || key.length === 0) throw new CommandError('TypeMismatch', "BSON field 'distinct.key' is missing but a required field");
    const coll = ctx.server.store.collection(ctx.db, name);
    const docs = selectDocuments(coll, ctx.cmd.query ?? {}, { scripts: ctx.scripts });
    const seen = new Map<string, unknown>();
    for (const doc of docs) {
      const value = resolve(doc as Document, key);
      for (const v of Array.isArray(value) ? value : [value]) {
        if (v === undefined) continue;
        const k = keyOf(v);
        if (!seen.has(k)) seen.set(k, v);
      }
    }
    return { values: [...seen.values()], ok: 1 };
  },
};
