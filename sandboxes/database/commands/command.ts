import type { Document } from 'bson';
import type { Action, Resource } from '../auth/roles.ts';
import type { ConnectionState } from '../connection-state.ts';
import type { WhereScripts } from '../query/where.ts';
import type { ServerState } from '../server-state.ts';
import type { Reply } from '../wire/cursor-reply.ts';

export interface CommandContext {
  /** The database the command runs against ($db, or the OP_QUERY namespace). */
  db: string;
  /** The command document; its first key is the command name. */
  cmd: Document;
  /** Raw bytes of kind-1 document sequences (inserts keep them as sent). */
  rawSequences: Map<string, Buffer[]>;
  /** Raw bytes of the command body (OP_MSG), for documents sent inside it. */
  bodyRaw?: Buffer;
  conn: ConnectionState;
  server: ServerState;
  /** $where for this command: refused, or run in a QuickJS isolate under one time budget. */
  scripts: WhereScripts;
}

export interface RequiredPrivilege {
  action: Action;
  resource: Resource;
}

/**
 * One database command, in a file of its own under commands/ and registered in registry.ts.
 * `auth` says what it needs: nothing (the handshake and SCRAM), any logged-in user (the
 * command filters what it shows), or the privileges on every namespace it touches.
 */
export interface CommandHandler {
  name: string;
  /** Historical spellings mongod also accepts (isMaster/ismaster). */
  aliases?: string[];
  auth: 'none' | 'authenticated' | ((ctx: CommandContext) => RequiredPrivilege[]);
  /** Kept out of the command log, as mongod keeps the handshake and credentials out. */
  unlogged?: boolean;
  /** The namespace written to the log, when the command has one. */
  ns?: (ctx: CommandContext) => string;
  /** Runs synchronously: nothing else happens on the server while a command runs. */
  run(ctx: CommandContext): Reply;
}
