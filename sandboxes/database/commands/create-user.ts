import type { Document } from 'bson';
import { parseMechanisms, parseRoles } from '../auth/users.ts';
import { SCRAM_MECHANISMS } from '../auth/scram.ts';
import { CommandError } from '../errors.ts';
import type { CommandHandler } from './command.ts';
import { checkDatabaseName } from './helpers/names.ts';
import { onDb } from './helpers/privileges.ts';
import { grantPrivileges, passwordArg, userArg } from './helpers/user-arguments.ts';

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
