import { Binary, type Document } from 'bson';
import { parseMechanisms, parseRoles, UserDirectory, type UserRecord } from '../auth/users.ts';
import { SCRAM_MECHANISMS } from '../auth/scram.ts';
import { CommandError } from '../errors.ts';
import { onDb, type CommandContext, type CommandHandler, type RequiredPrivilege } from './context.ts';
import { checkDatabaseName } from './names.ts';

function userArg(ctx: CommandContext, field: string): string {
  const value = ctx.cmd[field];
  if (typeof value !== 'string' || value.length === 0) throw new CommandError('BadValue', `"${field}" must be a non-empty string user name`);
  return value;
}

function passwordArg(ctx: CommandContext): string {
  const pwd = ctx.cmd.pwd;
  if (typeof pwd !== 'string' || pwd.length === 0) throw new CommandError('BadValue', 'Must provide a \'pwd\' field for all user documents, except those with \'$external\' as the user\'s source db');
  return pwd;
}

/** Granting roles in another database needs grantRole there too, as mongod checks. */
function grantPrivileges(ctx: CommandContext, base: RequiredPrivilege[]): RequiredPrivilege[] {
  const roles = Array.isArray(ctx.cmd.roles) ? ctx.cmd.roles : [];
  const dbs = new Set(roles.map((r: unknown) => (typeof r === 'string' ? ctx.db : String((r as Document)?.db ?? ctx.db))));
  return [...base, ...[...dbs].map((db) => ({ action: 'grantRole' as const, resource: { db } }))];
}

export const createUser: CommandHandler = {
  name: 'createUser',
  auth: (ctx) => grantPrivileges(ctx, onDb(ctx, 'createUser')),
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: (ctx) => {
    checkDatabaseName(ctx.db);
    const user = userArg(ctx, 'createUser');
    const pwd = passwordArg(ctx);
    const roles = parseRoles(ctx.cmd.roles, ctx.db);
    const mechanisms = parseMechanisms(ctx.cmd.mechanisms);
    if (ctx.cmd.digestPassword === false && (mechanisms ?? SCRAM_MECHANISMS).includes('SCRAM-SHA-256')) {
      throw new CommandError('BadValue', 'Use of SCRAM-SHA-256 requires undigested passwords');
    }
    ctx.server.users.create(ctx.db, user, pwd, roles, mechanisms, ctx.cmd.customData as Document | undefined);
    return { ok: 1 };
  },
};

export const updateUser: CommandHandler = {
  name: 'updateUser',
  auth: (ctx) => {
    const base = onDb(ctx, 'updateUser');
    return ctx.cmd.roles ? grantPrivileges(ctx, base) : base;
  },
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: (ctx) => {
    const user = userArg(ctx, 'updateUser');
    const pwd = ctx.cmd.pwd === undefined ? undefined : passwordArg(ctx);
    const roles = ctx.cmd.roles === undefined ? undefined : parseRoles(ctx.cmd.roles, ctx.db);
    const mechanisms = parseMechanisms(ctx.cmd.mechanisms);
    if (pwd === undefined && roles === undefined && ctx.cmd.customData === undefined && mechanisms === undefined) {
      throw new CommandError('BadValue', 'Must specify at least one field to update in updateUser');
    }
    ctx.server.users.update(ctx.db, user, (record) => {
      if (pwd !== undefined) UserDirectory.setPassword(record, pwd, mechanisms);
      if (roles !== undefined) record.roles = roles;
      if (ctx.cmd.customData !== undefined) record.customData = ctx.cmd.customData as Document;
    });
    return { ok: 1 };
  },
};

export const dropUser: CommandHandler = {
  name: 'dropUser',
  auth: (ctx) => onDb(ctx, 'dropUser'),
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: (ctx) => {
    ctx.server.users.drop(ctx.db, userArg(ctx, 'dropUser'));
    return { ok: 1 };
  },
};

export const dropAllUsersFromDatabase: CommandHandler = {
  name: 'dropAllUsersFromDatabase',
  auth: (ctx) => onDb(ctx, 'dropUser'),
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: (ctx) => {
    const mine = ctx.server.users.all().filter((u) => u.db === ctx.db);
    for (const u of mine) ctx.server.users.drop(u.db, u.user);
    return { n: mine.length, ok: 1 };
  },
};

function changeRoles(grant: boolean): CommandHandler['run'] {
  return (ctx) => {
    const field = grant ? 'grantRolesToUser' : 'revokeRolesFromUser';
    const user = userArg(ctx, field);
    const roles = parseRoles(ctx.cmd.roles, ctx.db);
    ctx.server.users.update(ctx.db, user, (record) => {
      const same = (a: { role: string; db: string }, b: { role: string; db: string }) => a.role === b.role && a.db === b.db;
      if (grant) for (const r of roles) if (!record.roles.some((x) => same(x, r))) record.roles.push(r);
      if (!grant) record.roles = record.roles.filter((x) => !roles.some((r) => same(x, r)));
    });
    return { ok: 1 };
  };
}

export const grantRolesToUser: CommandHandler = {
  name: 'grantRolesToUser',
  auth: (ctx) => grantPrivileges(ctx, []),
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: changeRoles(true),
};

export const revokeRolesFromUser: CommandHandler = {
  name: 'revokeRolesFromUser',
  auth: (ctx) => grantPrivileges(ctx, []).map((p) => ({ ...p, action: 'revokeRole' as const })),
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: changeRoles(false),
};

function userInfo(record: UserRecord, showCredentials: boolean): Document {
  const info: Document = {
    _id: record._id,
    userId: record.userId instanceof Binary ? record.userId : record.userId,
    user: record.user,
    db: record.db,
    roles: record.roles.map((r) => ({ role: r.role, db: r.db })),
    mechanisms: Object.keys(record.credentials),
  };
  if (record.customData) info.customData = record.customData;
  if (showCredentials) info.credentials = record.credentials;
  return info;
}

/** usersInfo: one user, several, every user of this database, or of all databases (forAllDBs). */
export const usersInfo: CommandHandler = {
  name: 'usersInfo',
  auth: (ctx) => {
    const arg = ctx.cmd.usersInfo;
    const self = ctx.conn.user;
    const asksOnlyForSelf = self && ((typeof arg === 'string' && arg === self.user && ctx.db === self.db) || (arg && typeof arg === 'object' && !Array.isArray(arg) && (arg as Document).user === self.user && (arg as Document).db === self.db));
    if (asksOnlyForSelf) return [];
    if (arg && typeof arg === 'object' && (arg as Document).forAllDBs) return [{ action: 'viewUser', resource: { cluster: true } }];
    return onDb(ctx, 'viewUser');
  },
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: (ctx) => {
    const arg = ctx.cmd.usersInfo;
    const all = ctx.server.users.all();
    let chosen: UserRecord[];
    const refOf = (item: unknown) =>
      typeof item === 'string' ? { user: item, db: ctx.db } : { user: String((item as Document)?.user), db: String((item as Document)?.db ?? ctx.db) };
    if (arg === 1 || arg === true) chosen = all.filter((u) => u.db === ctx.db);
    else if (Array.isArray(arg)) {
      const refs = arg.map(refOf);
      chosen = all.filter((u) => refs.some((r) => r.user === u.user && r.db === u.db));
    } else if (arg && typeof arg === 'object' && (arg as Document).forAllDBs) chosen = all;
    else {
      const ref = refOf(arg);
      chosen = all.filter((u) => u.user === ref.user && u.db === ref.db);
    }
    chosen.sort((a, b) => a._id.localeCompare(b._id));
    return { users: chosen.map((u) => userInfo(u, Boolean(ctx.cmd.showCredentials))), ok: 1 };
  },
};
