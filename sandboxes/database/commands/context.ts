import type { Document } from 'bson';
import { CommandError } from '../errors.ts';
import type { Action, Resource } from '../auth/roles.ts';
import type { ConnectionState } from '../connection-state.ts';
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
}

export interface RequiredPrivilege {
  action: Action;
  resource: Resource;
}

/**
 * One database command. `auth` says what it needs: nothing (the handshake and SCRAM), any
 * logged-in user (the command filters what it shows), or specific privileges.
 */
export interface CommandHandler {
  name: string;
  aliases?: string[];
  auth: 'none' | 'authenticated' | ((ctx: CommandContext) => RequiredPrivilege[]);
  /** The namespace written to the log, when the command has one. */
  ns?: (ctx: CommandContext) => string;
  run(ctx: CommandContext): Reply | Promise<Reply>;
}

/** The collection name a command's first field names, checked like mongod checks it. */
export function collectionArg(ctx: CommandContext, field?: string): string {
  const key = field ?? Object.keys(ctx.cmd)[0]!;
  const value = ctx.cmd[key];
  if (typeof value !== 'string' || value.length === 0) {
    throw new CommandError('InvalidNamespace', `collection name has invalid type ${typeNameOf(value)}`);
  }
  return value;
}

export function onDb(ctx: CommandContext, ...actions: Action[]): RequiredPrivilege[] {
  return actions.map((action) => ({ action, resource: { db: ctx.db } }));
}

export function onCluster(...actions: Action[]): RequiredPrivilege[] {
  return actions.map((action) => ({ action, resource: { cluster: true } }));
}

export function typeNameOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'object') return (value as { _bsontype?: string })._bsontype?.toLowerCase() ?? 'object';
  return typeof value;
}

/**
 * Reading or writing a collection. admin.system.users is not an ordinary collection: as in
 * mongod, only user administrators (and root) may read it, so read roles never reveal the
 * stored SCRAM keys.
 */
export function onCollection(ctx: CommandContext, coll: unknown, kind: 'find' | 'insert' | 'update' | 'remove'): RequiredPrivilege[] {
  if (ctx.db === 'admin' && coll === 'system.users') {
    return [{ action: kind === 'find' ? 'viewUser' : 'updateUser', resource: { db: 'admin' } }];
  }
  return onDb(ctx, kind);
}

/** security.javascriptEnabled, which decides whether $where may run. */
export function scriptsOn(ctx: CommandContext): boolean {
  return ctx.server.config.security.javascriptEnabled;
}
