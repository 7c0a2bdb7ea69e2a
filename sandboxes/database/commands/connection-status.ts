import type { Document } from 'bson';
import type { CommandHandler } from './command.ts';

/** connectionStatus: who this connection is logged in as (mongosh's db.runCommand and tools). */
export const connectionStatus: CommandHandler = {
  name: 'connectionStatus',
  auth: 'none',
  run: (ctx) => {
    const user = ctx.conn.user;
    const authInfo: Document = {
      authenticatedUsers: user ? [{ user: user.user, db: user.db }] : [],
      authenticatedUserRoles: user ? user.roles.map((r) => ({ role: r.role, db: r.db })) : [],
    };
    if (ctx.cmd.showPrivileges) authInfo.authenticatedUserPrivileges = [];
    return { authInfo, ok: 1 };
  },
};
