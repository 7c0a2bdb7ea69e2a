import type { CommandHandler } from './command.ts';
import { changeRoles, grantPrivileges } from './helpers/user-arguments.ts';

export const grantRolesToUser: CommandHandler = {
  name: 'grantRolesToUser',
  auth: (ctx) => grantPrivileges(ctx, []),
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: (ctx) => {
    changeRoles(ctx, 'grantRolesToUser');
    return { ok: 1 };
  },
};
