import type { Document } from 'bson';
import type { UserRecord } from '../auth/users.ts';
import type { CommandContext, CommandHandler } from './command.ts';
import { userInfo } from './helpers/user-arguments.ts';

interface UserRef {
  user: string;
  db: string;
}

/** The users a usersInfo asks for: 'all' (forAllDBs), every user of one database, or a list. */
function requested(ctx: CommandContext): 'all' | { db: string } | UserRef[] {
  const arg = ctx.cmd.usersInfo;
  const refOf = (item: unknown): UserRef =>
    typeof item === 'string' ? { user: item, db: ctx.db } : { user: String((item as Document)?.user), db: String((item as Document)?.db ?? ctx.db) };
  if (arg === 1 || arg === true) return { db: ctx.db };
  if (Array.isArray(arg)) return arg.map(refOf);
  if (arg && typeof arg === 'object' && (arg as Document).forAllDBs) return 'all';
  return [refOf(arg)];
}

/**
 * usersInfo: one user, several, every user of this database, or of all databases (forAllDBs).
 * viewUser is needed on the database of every user named, wherever the command runs, so a
 * user administrator of one database cannot read another's users; only asking about
 * oneself needs nothing, as in mongod.
 */
export const usersInfo: CommandHandler = {
  name: 'usersInfo',
  auth: (ctx) => {
    const wanted = requested(ctx);
    if (wanted === 'all') return [{ action: 'viewUser', resource: { cluster: true } }];
    if (!Array.isArray(wanted)) return [{ action: 'viewUser', resource: { db: wanted.db } }];
    const self = ctx.conn.user;
    const others = wanted.filter((ref) => !(self && ref.user === self.user && ref.db === self.db));
    return [...new Set(others.map((ref) => ref.db))].map((db) => ({ action: 'viewUser' as const, resource: { db } }));
  },
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: (ctx) => {
    const wanted = requested(ctx);
    const all = ctx.server.users.all();
    let chosen: UserRecord[];
    if (wanted === 'all') chosen = all;
    else if (!Array.isArray(wanted)) chosen = all.filter((u) => u.db === wanted.db);
    else chosen = all.filter((u) => wanted.some((r) => r.user === u.user && r.db === u.db));
    chosen.sort((a, b) => a._id.localeCompare(b._id));
    return { users: chosen.map((u) => userInfo(u, Boolean(ctx.cmd.showCredentials))), ok: 1 };
  },
};
