import { aggregate } from './aggregate.ts';
import { buildInfo } from './build-info.ts';
import { collStats } from './coll-stats.ts';
import type { CommandHandler } from './command.ts';
import { connectionStatus } from './connection-status.ts';
import { count } from './count.ts';
import { create } from './create.ts';
import { createIndexes } from './create-indexes.ts';
import { createUser } from './create-user.ts';
import { dbStats } from './db-stats.ts';
import { deleteCommand } from './delete.ts';
import { distinct } from './distinct.ts';
import { drop } from './drop.ts';
import { dropAllUsersFromDatabase } from './drop-all-users-from-database.ts';
import { dropDatabase } from './drop-database.ts';
import { dropIndexes } from './drop-indexes.ts';
import { dropUser } from './drop-user.ts';
import { endSessions } from './end-sessions.ts';
import { find } from './find.ts';
import { findAndModify } from './find-and-modify.ts';
import { getCmdLineOpts } from './get-cmd-line-opts.ts';
import { getLog } from './get-log.ts';
import { getMore } from './get-more.ts';
import { getParameter } from './get-parameter.ts';
import { grantRolesToUser } from './grant-roles-to-user.ts';
import { hello } from './hello.ts';
import { hostInfo } from './host-info.ts';
import { insert } from './insert.ts';
import { isMaster } from './is-master.ts';
import { killAllSessions } from './kill-all-sessions.ts';
import { killCursors } from './kill-cursors.ts';
import { listCollections } from './list-collections.ts';
import { listDatabases } from './list-databases.ts';
import { listIndexes } from './list-indexes.ts';
import { logout } from './logout.ts';
import { ping } from './ping.ts';
import { revokeRolesFromUser } from './revoke-roles-from-user.ts';
import { saslContinue } from './sasl-continue.ts';
import { saslStart } from './sasl-start.ts';
import { serverStatus } from './server-status.ts';
import { update } from './update.ts';
import { updateUser } from './update-user.ts';
import { usersInfo } from './users-info.ts';
import { whatsmyuri } from './whatsmyuri.ts';

export interface RegisteredCommand {
  handler: CommandHandler;
  /** One line, shown by listCommands. */
  help: string;
}

/**
 * The one table of commands (FerretDB-style): every command the server answers, with a
 * line of help. Anything else is 59 CommandNotFound. listCommands is defined after the
 * table because it lists it.
 */
const TABLE: RegisteredCommand[] = [
  { handler: aggregate, help: 'Runs an aggregation pipeline on a collection and returns a cursor.' },
  { handler: buildInfo, help: 'Returns the server version and build details.' },
  { handler: collStats, help: 'Returns the size and document count of a collection.' },
  { handler: connectionStatus, help: 'Returns the user this connection is logged in as and their roles.' },
  { handler: count, help: 'Counts the documents of a collection, or those matching a query.' },
  { handler: create, help: 'Creates a collection.' },
  { handler: createIndexes, help: 'Creates indexes on a collection (unique ones are enforced).' },
  { handler: createUser, help: 'Creates a user with a password and roles.' },
  { handler: dbStats, help: 'Returns the size and counts of a database.' },
  { handler: deleteCommand, help: 'Deletes documents matching a filter.' },
  { handler: distinct, help: 'Returns the different values of a field.' },
  { handler: drop, help: 'Drops a collection.' },
  { handler: dropAllUsersFromDatabase, help: 'Drops every user of the database.' },
  { handler: dropDatabase, help: 'Drops the database and all its collections.' },
  { handler: dropIndexes, help: 'Drops indexes of a collection.' },
  { handler: dropUser, help: 'Drops a user.' },
  { handler: endSessions, help: 'Ends client sessions (accepted, sessions are not tracked).' },
  { handler: find, help: 'Returns the documents matching a filter through a cursor.' },
  { handler: findAndModify, help: 'Updates, replaces or removes one document and returns it.' },
  { handler: getCmdLineOpts, help: 'Returns the options the server was started with.' },
  { handler: getLog, help: 'Returns recent log lines or the startup warnings.' },
  { handler: getMore, help: 'Returns the next batch of a cursor.' },
  { handler: getParameter, help: 'Returns server parameters.' },
  { handler: grantRolesToUser, help: 'Gives a user more roles.' },
  { handler: hello, help: 'Returns the server\'s role and limits (the handshake).' },
  { handler: hostInfo, help: 'Returns details of the host.' },
  { handler: insert, help: 'Inserts documents.' },
  { handler: isMaster, help: 'The handshake under its legacy name.' },
  { handler: killAllSessions, help: 'Kills all sessions (accepted, sessions are not tracked).' },
  { handler: killCursors, help: 'Closes cursors the caller opened.' },
  { handler: listCollections, help: 'Lists the collections of a database.' },
  { handler: listDatabases, help: 'Lists the databases the caller may see.' },
  { handler: listIndexes, help: 'Lists the indexes of a collection.' },
  { handler: logout, help: 'Logs this connection out.' },
  { handler: ping, help: 'Answers ok: 1.' },
  { handler: revokeRolesFromUser, help: 'Takes roles away from a user.' },
  { handler: saslContinue, help: 'Continues a SCRAM authentication.' },
  { handler: saslStart, help: 'Starts a SCRAM authentication.' },
  { handler: serverStatus, help: 'Returns the server\'s state: uptime and connections.' },
  { handler: update, help: 'Updates or replaces documents matching a filter (upserts too).' },
  { handler: updateUser, help: 'Changes a user\'s password, roles or custom data.' },
  { handler: usersInfo, help: 'Returns users of a database, or named users, without their keys.' },
  { handler: whatsmyuri, help: 'Returns the address this connection comes from.' },
];

/** listCommands: the table above, as mongod lists its commands. */
const listCommands: CommandHandler = {
  name: 'listCommands',
  auth: 'none',
  run: () => ({
    commands: Object.fromEntries(COMMANDS_IN_ORDER.map(({ handler, help }) => [handler.name, { help, requiresAuth: handler.auth !== 'none' }])),
    ok: 1,
  }),
};

const COMMANDS_IN_ORDER: RegisteredCommand[] = [...TABLE, { handler: listCommands, help: 'Lists the commands this server answers, with a line of help each.' }]
  .sort((a, b) => a.handler.name.localeCompare(b.handler.name));

const BY_NAME = new Map<string, CommandHandler>();
for (const { handler } of COMMANDS_IN_ORDER) {
  for (const name of [handler.name, ...(handler.aliases ?? [])]) {
    if (BY_NAME.has(name)) throw new Error(`command ${name} is registered twice`);
    BY_NAME.set(name, handler);
  }
}

/** mongod matches command names exactly, except for the few historical lower-case aliases. */
export function lookupCommand(name: string): CommandHandler | undefined {
  return BY_NAME.get(name);
}

export function registeredCommands(): readonly RegisteredCommand[] {
  return COMMANDS_IN_ORDER;
}
