import { Long, type Document } from 'bson';
import { Query } from 'mingo';
import { databasesNamedByRoles, rolesAllow } from '../auth/roles.ts';
import type { CommandHandler } from './command.ts';

/**
 * listDatabases. A user without the cluster-wide privilege sees the databases their roles
 * name (mongod 4.0.5+ with authorizedDatabases unset), not an error.
 */
export const listDatabases: CommandHandler = {
  name: 'listDatabases',
  auth: 'authenticated',
  ns: () => 'admin.$cmd',
  run: (ctx) => {
    const { store } = ctx.server;
    const user = ctx.conn.user;
    let names = store.databaseNames();
    const mayListAll = !ctx.server.authEnabled || (user && rolesAllow(user.roles, 'listDatabases', { cluster: true }));
    if (!mayListAll || ctx.cmd.authorizedDatabases === true) {
      const allowed = user ? databasesNamedByRoles(user.roles) : new Set<string>();
      names = names.filter((n) => allowed.has(n) || (user && rolesAllow(user.roles, 'find', { db: n })));
    }
    let databases: Document[] = names.map((name) => {
      const size = store.collections(name).reduce((sum, c) => sum + c.dataSize(), 0);
      const sizeOnDisk = Math.max(4096, Math.ceil(size / 4096) * 4096);
      return { name, sizeOnDisk: Long.fromNumber(sizeOnDisk), empty: false };
    });
    if (ctx.cmd.filter && typeof ctx.cmd.filter === 'object') {
      const query = new Query(ctx.cmd.filter as Document);
      databases = databases.filter((d) => query.test(d));
    }
    if (ctx.cmd.nameOnly) return { databases: databases.map((d) => ({ name: d.name })), ok: 1 };
    const totalSize = databases.reduce((sum, d) => sum + Number(d.sizeOnDisk), 0);
    return { databases, totalSize: Long.fromNumber(totalSize), totalSizeMb: Long.fromNumber(Math.round(totalSize / 1048576)), ok: 1 };
  },
};
