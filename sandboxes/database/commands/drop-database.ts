import { isSystemCollection } from '../auth/roles.ts';
import type { CommandHandler } from './command.ts';
import { onCollection, onDb } from './helpers/privileges.ts';

/**
 * dropDatabase. Dropping a database drops its system collections too, so it needs the
 * privilege on each of them: nobody drops admin (and with it admin.system.users) to reopen
 * the localhost exception.
 */
export const dropDatabase: CommandHandler = {
  name: 'dropDatabase',
  auth: (ctx) => [
    ...onDb(ctx, 'dropDatabase'),
    ...ctx.server.store.collections(ctx.db).filter((c) => isSystemCollection(c.name)).flatMap((c) => onCollection(ctx, c.name, 'dropCollection')),
  ],
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: (ctx) => {
    const existed = ctx.server.store.databaseNames().includes(ctx.db);
    ctx.server.store.dropDatabase(ctx.db);
    return existed ? { dropped: ctx.db, ok: 1 } : { ok: 1 };
  },
};
