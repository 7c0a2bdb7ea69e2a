import type { Document } from 'bson';
import { parseMechanisms, parseRoles, UserDirectory } from '../auth/users.ts';
import { CommandError } from '../errors.ts';
import type { CommandHandler } from './command.ts';
import { onDb } from './helpers/privileges.ts';
import { grantPrivileges, passwordArg, userArg } from './helpers/user-arguments.ts';

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
