import { createHash } from 'node:crypto';
import { UUID, type Document } from 'bson';
import { Query } from 'mingo';
import { rolesAllow } from '../auth/roles.ts';
import { CommandError } from '../errors.ts';
import type { CommandHandler } from './command.ts';
import { cursorBatchSize } from './helpers/arguments.ts';
import { ownerOf } from './helpers/cursor-owner.ts';
import { onDb } from './helpers/privileges.ts';

export const listCollections: CommandHandler = {
  name: 'listCollections',
  // mongosh asks with authorizedCollections so that a user with find on the database can list.
  auth: (ctx) => (ctx.cmd.authorizedCollections && ctx.cmd.nameOnly ? [] : onDb(ctx, 'listCollections')),
  ns: (ctx) => `${ctx.db}.$cmd.listCollections`,
  run: (ctx) => {
    const user = ctx.conn.user;
    if (ctx.server.authEnabled && ctx.cmd.authorizedCollections && ctx.cmd.nameOnly && user) {
      if (!rolesAllow(user.roles, 'listCollections', { db: ctx.db }) && !rolesAllow(user.roles, 'find', { db: ctx.db })) {
        throw new CommandError('Unauthorized', `not authorized on ${ctx.db} to execute command { listCollections: 1 }`);
      }
    }
    let infos: Document[] = ctx.server.store
      .collections(ctx.db)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => ({
        name: c.name,
        type: 'collection',
        options: c.options,
        info: { readOnly: false, uuid: stableUuid(c.ns) },
        idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
      }));
    if (ctx.cmd.filter && typeof ctx.cmd.filter === 'object') {
      const query = new Query(ctx.cmd.filter as Document);
      infos = infos.filter((i) => query.test(i));
    }
    if (ctx.cmd.nameOnly) infos = infos.map((i) => ({ name: i.name, type: i.type }));
    return ctx.server.cursors.firstBatch(`${ctx.db}.$cmd.listCollections`, infos, undefined, ownerOf(ctx), cursorBatchSize(ctx.cmd));
  },
};

/** A UUID derived from the namespace: stable across restarts without storing one. */
function stableUuid(ns: string): UUID {
  const hex = createHash('sha256').update(ns).digest().toString('hex').slice(0, 32);
  return new UUID(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`);
}
