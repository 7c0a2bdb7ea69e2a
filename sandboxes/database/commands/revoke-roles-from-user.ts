import type { CommandHandler } from './command.ts';
import { changeRoles, grantPrivileges } from './helpers/user-arguments.ts';

export const revokeRolesFromUser: CommandHandler = {
  name: 'revokeRolesFromUser',
  auth: (ctx) => grantPrivileges(ctx, []).map((p) => ({ ...p, action: 'revokeRole' as const })),
  ns: (ctx) => `${ctx.db}.$cmd`,
  run: (ctx) => {
    changeRoles(ctx, 'revokeRolesFromUser');
    return { ok: 1 };
  },
};
