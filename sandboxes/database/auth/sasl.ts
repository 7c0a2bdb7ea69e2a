import { Binary, Int32, type Document } from 'bson';
import type { CommandContext } from '../commands/command.ts';
import { CommandError } from '../errors.ts';
import { ScramConversation, ScramFailure, SCRAM_MECHANISMS, type ScramMechanism } from './scram.ts';

let nextConversationId = 1;

function payloadText(value: unknown): string {
  if (value instanceof Binary) return Buffer.from(value.buffer).toString('utf8');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'string') return Buffer.from(value, 'base64').toString('utf8');
  throw new CommandError('BadValue', 'SASL payload must be binary data');
}

function binary(text: string): Binary {
  return new Binary(Buffer.from(text, 'utf8'));
}

function authFailed(ctx: CommandContext, mechanism: string, user: string, db: string, reason: string, speculative = false): CommandError {
  ctx.server.log.write({
    s: 'I', c: 'ACCESS', id: 20249, ctx: `conn${ctx.conn.id}`, msg: 'Authentication failed',
    attr: {
      mechanism, speculative, principalName: user, authenticationDatabase: db,
      remote: ctx.conn.remote, extraInfo: {},
      error: `AuthenticationFailed: ${reason}`,
    },
  });
  return new CommandError('AuthenticationFailed', 'Authentication failed.');
}

/** hello's saslSupportedMechs "<db>.<user>": the user's mechanisms, omitted for unknown users. */
export function supportedMechanisms(ctx: CommandContext, principal: string): string[] | undefined {
  const dot = principal.indexOf('.');
  if (dot < 0) return undefined;
  const record = ctx.server.users.find(principal.slice(0, dot), principal.slice(dot + 1));
  return record ? SCRAM_MECHANISMS.filter((m) => record.credentials[m]) : undefined;
}

/** saslStart: client-first in, server-first out. */
export function saslStart(ctx: CommandContext, cmd: Document, speculative = false): Document {
  const mechanism = String(cmd.mechanism ?? '');
  const db = typeof cmd.db === 'string' ? cmd.db : ctx.db;
  if (!SCRAM_MECHANISMS.includes(mechanism as ScramMechanism)) {
    throw new CommandError('MechanismUnavailable', `Received authentication for mechanism ${mechanism} which is unknown or not enabled`);
  }
  const conversation = new ScramConversation(mechanism as ScramMechanism);
  conversation.skipEmpty = Boolean((cmd.options as Document | undefined)?.skipEmptyExchange);
  conversation.speculative = speculative;
  let user: string;
  try {
    user = conversation.readClientFirst(payloadText(cmd.payload));
  } catch (error) {
    throw authFailed(ctx, mechanism, '', db, (error as Error).message);
  }
  const record = ctx.server.users.find(db, user);
  if (!record) throw authFailed(ctx, mechanism, user, db, `Could not find user "${user}" for db "${db}"`);
  const credential = record.credentials[mechanism as ScramMechanism];
  if (!credential) {
    if (speculative) throw new CommandError('MechanismUnavailable', `no ${mechanism} credentials`);
    throw new CommandError('MechanismUnavailable', `Unable to use ${mechanism} based authentication for user without any ${mechanism} credentials registered`);
  }
  const serverFirst = conversation.serverFirstMessage(credential);
  const id = nextConversationId++;
  ctx.conn.conversations.set(id, conversation);
  (conversation as ScramConversation & { db?: string }).db = db;
  return { conversationId: new Int32(id), done: false, payload: binary(serverFirst), ok: 1 };
}

/** saslContinue: proof in, server signature out (and an empty round when asked for). */
export function saslContinue(ctx: CommandContext, cmd: Document): Document {
  const id = Number(cmd.conversationId);
  const conversation = ctx.conn.conversations.get(id) as (ScramConversation & { db?: string }) | undefined;
  if (!conversation) throw new CommandError('ProtocolError', 'No SASL session state found');
  const db = conversation.db ?? ctx.db;
  if (conversation.done) {
    ctx.conn.conversations.delete(id);
    return { conversationId: new Int32(id), done: true, payload: binary(''), ok: 1 };
  }
  let serverFinal: string;
  try {
    serverFinal = conversation.verifyClientFinal(payloadText(cmd.payload));
  } catch (error) {
    ctx.conn.conversations.delete(id);
    if (error instanceof ScramFailure) throw authFailed(ctx, conversation.mechanism, conversation.userName, db, error.message, conversation.speculative);
    throw error;
  }
  const record = ctx.server.users.find(db, conversation.userName);
  if (!record) throw authFailed(ctx, conversation.mechanism, conversation.userName, db, 'user was removed during authentication');
  ctx.conn.user = { user: record.user, db: record.db, roles: record.roles };
  ctx.server.log.write({
    s: 'I', c: 'ACCESS', id: 5286306, ctx: `conn${ctx.conn.id}`, msg: 'Authentication succeeded',
    attr: {
      mechanism: conversation.mechanism, speculative: conversation.speculative, principalName: record.user,
      authenticationDatabase: record.db, remote: ctx.conn.remote, extraInfo: {},
    },
  });
  // Without skipEmptyExchange the client sends one more empty saslContinue.
  const skipEmpty = conversation.skipEmpty;
  if (skipEmpty) ctx.conn.conversations.delete(id);
  return { conversationId: new Int32(id), done: skipEmpty, payload: binary(serverFinal), ok: 1 };
}

/** hello's speculativeAuthenticate: a saslStart folded into the handshake. */
export function speculativeAuthenticate(ctx: CommandContext, cmd: Document): Document | undefined {
  if (cmd.saslStart !== 1 && cmd.saslStart !== true) return undefined;
  try {
    const reply = saslStart(ctx, cmd, true);
    delete reply.ok;
    return reply;
  } catch {
    // mongod leaves the field out when speculation fails; the client then authenticates normally.
    return undefined;
  }
}
