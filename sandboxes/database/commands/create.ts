import type { Document } from 'bson';
import { CommandError } from '../errors.ts';
import type { CommandHandler } from './command.ts';
import { collectionArg } from './helpers/arguments.ts';
import { checkCollectionName } from './helpers/names.ts';
import { onCollection } from './helpers/privileges.ts';

export const create: CommandHandler = {
  name: 'create',
  auth: (ctx) => onCollection(ctx, ctx.cmd.create, 'createCollection'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.create)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    checkCollectionName(ctx.db, name);
    if (ctx.server.store.collection(ctx.db, name)) {
      throw new CommandError('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
    }
    const options: Document = {};
    for (const key of ['capped', 'size', 'max', 'validator', 'validationLevel', 'validationAction', 'collation']) {
      if (key in ctx.cmd) options[key] = ctx.cmd[key];
    }
    ctx.server.store.ensureCollection(ctx.db, name, options);
    return { ok: 1 };
  },
};
