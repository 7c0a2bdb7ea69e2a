import { aggregate } from './aggregate.ts';
import { buildInfo } from './build-info.ts';
import { connectionStatus, whatsmyuri } from './connection-status.ts';
import type { CommandHandler } from './context.ts';
import { count } from './count.ts';
import { create } from './create.ts';
import { deleteCommand } from './delete.ts';
import { distinct } from './distinct.ts';
import { drop, dropDatabase } from './drop.ts';
import { find } from './find.ts';
import { findAndModify } from './find-and-modify.ts';
import { getCmdLineOpts } from './get-cmd-line-opts.ts';
import { getLog } from './get-log.ts';
import { getMore, killCursors } from './get-more.ts';
import { getParameter } from './get-parameter.ts';
import { hello, isMaster } from './handshake.ts';
import { createIndexes, dropIndexes, listIndexes } from './indexes.ts';
import { insert } from './insert.ts';
import { listCollections } from './list-collections.ts';
import { listDatabases } from './list-databases.ts';
import { endSessions, killAllSessions, logout } from './logout.ts';
import { ping } from './ping.ts';
import { saslContinue, saslStart } from './sasl-commands.ts';
import { collStats, dbStats, hostInfo, serverStatus } from './stats.ts';
import { update } from './update.ts';
import {
  createUser, dropAllUsersFromDatabase, dropUser, grantRolesToUser, revokeRolesFromUser, updateUser, usersInfo,
} from './users.ts';

/** The one table of commands (FerretDB-style): name -> handler. Anything else is code 59. */
const HANDLERS: CommandHandler[] = [
  hello, isMaster, ping, buildInfo, getParameter, getLog, getCmdLineOpts, connectionStatus, whatsmyuri,
  saslStart, saslContinue, logout, endSessions, killAllSessions,
  listDatabases, listCollections, create, drop, dropDatabase,
  find, getMore, killCursors, count, distinct, aggregate,
  insert, update, deleteCommand, findAndModify,
  createIndexes, listIndexes, dropIndexes,
  createUser, updateUser, dropUser, dropAllUsersFromDatabase, usersInfo, grantRolesToUser, revokeRolesFromUser,
  dbStats, collStats, serverStatus, hostInfo,
];

export const COMMANDS = new Map<string, CommandHandler>();
for (const handler of HANDLERS) {
  COMMANDS.set(handler.name.toLowerCase(), handler);
  for (const alias of handler.aliases ?? []) COMMANDS.set(alias.toLowerCase(), handler);
}

export function lookupCommand(name: string): CommandHandler | undefined {
  const handler = COMMANDS.get(name.toLowerCase());
  // mongod matches command names exactly, except for the few historical lower-case aliases.
  if (!handler) return undefined;
  if (handler.name === name || handler.aliases?.includes(name)) return handler;
  return undefined;
}
