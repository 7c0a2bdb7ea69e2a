import type { Document } from 'bson';
import type { CommandHandler } from './context.ts';

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

/** whatsmyuri: the address this connection comes from, as the server sees it. */
export const whatsmyuri: CommandHandler = {
  name: 'whatsmyuri',
  auth: 'none',
  run: (ctx) => ({ you: ctx.conn.remote, ok: 1 }),
};
