import { type Document } from 'bson';
import { parseRoles, type UserRecord } from '../../auth/users.ts';
import { CommandError } from '../../errors.ts';
import type { CommandContext, RequiredPrivilege } from '../command.ts';

/** The user name a user-management command's first field carries. */
export function userArg(ctx: CommandContext, field: string): string {
  const value = ctx.cmd[field];
  if (typeof value !== 'string' || value.length === 0) throw new CommandError('BadValue', `"${field}" must be a non-empty string user name`);
  return value;
}

export function passwordArg(ctx: CommandContext): string {
  const pwd = ctx.cmd.pwd;
  if (typeof pwd !== 'string' || pwd.length === 0) throw new CommandError('BadValue', 'Must provide a \'pwd\' field for all user documents, except those with \'$external\' as the user\'s source db');
  return pwd;
}

/** Granting roles in another database needs grantRole there too, as mongod checks. */
export function grantPrivileges(ctx: CommandContext, base: RequiredPrivilege[]): RequiredPrivilege[] {
  const roles = Array.isArray(ctx.cmd.roles) ? ctx.cmd.roles : [];
  const dbs = new Set(roles.map((r: unknown) => (typeof r === 'string' ? ctx.db : String((r as Document)?.db ?? ctx.db))));
  return [...base, ...[...dbs].map((db) => ({ action: 'grantRole' as const, resource: { db } }))];
}

/** grantRolesToUser / revokeRolesFromUser: the roles named by the command added or taken away. */
export function changeRoles(ctx: CommandContext, field: 'grantRolesToUser' | 'revokeRolesFromUser'): void {
  const user = userArg(ctx, field);
  const roles = parseRoles(ctx.cmd.roles, ctx.db);
  const same = (a: { role: string; db: string }, b: { role: string; db: string }) => a.role === b.role && a.db === b.db;
  ctx.server.users.update(ctx.db, user, (record) => {
    if (field === 'grantRolesToUser') {
      for (const r of roles) if (!record.roles.some((x) => same(x, r))) record.roles.push(r);
    } else {
      record.roles = record.roles.filter((x) => !roles.some((r) => same(x, r)));
    }
  });
}

/** A user as usersInfo shows it: credentials only when asked for. */
export function userInfo(record: UserRecord, showCredentials: boolean): Document {
  const info: Document = {
    _id: record._id,
    userId: record.userId,
    user: record.user,
    db: record.db,
    roles: record.roles.map((r) => ({ role: r.role, db: r.db })),
    mechanisms: Object.keys(record.credentials),
  };
  if (record.customData) info.customData = record.customData;
  if (showCredentials) info.credentials = record.credentials;
  return info;
}
