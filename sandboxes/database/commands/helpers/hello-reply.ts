import { Int32, type Document } from 'bson';
import { speculativeAuthenticate, supportedMechanisms } from '../../auth/sasl.ts';
import { MAX_BSON_OBJECT_SIZE, MAX_MESSAGE_SIZE_BYTES, MAX_WRITE_BATCH_SIZE } from '../../wire/limits.ts';
import type { CommandContext } from '../command.ts';

/**
 * hello / isMaster: a standalone mongod's answer. No setName (not a replica set), no
 * topologyVersion (it would switch the driver's monitor to exhaust streaming) and no
 * compression. Needs no authentication, and carries the SCRAM shortcuts the driver asks for.
 */
export function helloReply(ctx: CommandContext, legacy: boolean): Document {
  const reply: Document = {};
  if (legacy) reply.ismaster = true;
  else reply.isWritablePrimary = true;
  if (ctx.cmd.helloOk) reply.helloOk = true;
  Object.assign(reply, {
    maxBsonObjectSize: new Int32(MAX_BSON_OBJECT_SIZE),
    maxMessageSizeBytes: new Int32(MAX_MESSAGE_SIZE_BYTES),
    maxWriteBatchSize: new Int32(MAX_WRITE_BATCH_SIZE),
    localTime: new Date(),
    logicalSessionTimeoutMinutes: new Int32(30),
    connectionId: new Int32(ctx.conn.id),
    minWireVersion: new Int32(0),
    maxWireVersion: new Int32(21),
    readOnly: false,
  });
  if (ctx.cmd.client) ctx.conn.clientMetadata = ctx.cmd.client;
  if (typeof ctx.cmd.saslSupportedMechs === 'string') {
    const mechs = supportedMechanisms(ctx, ctx.cmd.saslSupportedMechs);
    if (mechs) reply.saslSupportedMechs = mechs;
  }
  if (ctx.cmd.speculativeAuthenticate && typeof ctx.cmd.speculativeAuthenticate === 'object') {
    const answer = speculativeAuthenticate(ctx, ctx.cmd.speculativeAuthenticate as Document);
    if (answer) reply.speculativeAuthenticate = answer;
  }
  reply.ok = 1;
  return reply;
}

