import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { Document } from 'bson';
import { UserDirectory } from './auth/users.ts';
import type { MongodConfig } from './config/mongod-config.ts';
import { ConnectionState } from './connection-state.ts';
import { CursorRegistry } from './cursors.ts';
import { runCommand } from './dispatch.ts';
import { CommandError, ProtocolError } from './errors.ts';
import { SERVER_VERSION } from './version.ts';
import type { MongodLog } from './log/mongod-log.ts';
import type { DatabaseNetwork } from './network.ts';
import type { ServerState } from './server-state.ts';
import type { Store } from './storage/store.ts';
import { encodeReplyBody, type Reply } from './wire/cursor-reply.ts';
import { MessageFramer, type RawMessage } from './wire/framer.ts';
import { MAX_BSON_OBJECT_SIZE, OpCode } from './wire/limits.ts';
import { MsgFlag, parseOpMsg } from './wire/op-msg.ts';
import { parseOpQuery } from './wire/op-query.ts';
import { frameOpMsg, frameOpReply } from './wire/reply-frame.ts';

export interface Listener {
  /** The (simulated) interface address from bindIp. */
  address: string;
  /** Where it really listens. */
  host: string;
  port: number;
  /** Who its clients stand for, when the network says so. */
  peerAddress?: string;
}

/**
 * The TCP side: one net.Server per interface and vantage point, one framer and one ConnectionState per socket.
 * A message that cannot be parsed ends its own connection (with a log line) and nothing else.
 */
export class DatabaseServer {
  readonly state: ServerState;
  readonly listeners: Listener[] = [];
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  private nextConnectionId = 1;

  constructor(
    readonly config: MongodConfig,
    store: Store,
    log: MongodLog,
    private readonly network: DatabaseNetwork,
    argv: string[],
    version: string = SERVER_VERSION,
  ) {
    this.state = {
      store,
      users: new UserDirectory(store),
      cursors: new CursorRegistry(),
      log,
      config,
      startedAt: new Date(),
      argv,
      version,
      connectionCount: () => this.sockets.size,
      authEnabled: config.security.authorization === 'enabled',
    };
  }

  async listen(port: number): Promise<Listener[]> {
    const interfaces = this.network.interfaces(this.config.net.bindIp, this.config.net.bindIpAll);
    const seen = new Set<string>();
    const targets = interfaces.flatMap((address) => [this.network.listen(address, port)].flat().map((target) => ({ address, target })));
    for (const { address, target } of targets) {
      const key = `${target.host}:${target.port}`;
      if (target.port !== 0 && seen.has(key)) continue;
      seen.add(key);
      const server = createServer((socket) => this.accept(socket, target.peerAddress, address));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(target.port, target.host, () => {
          server.off('error', reject);
          resolve();
        });
      }).catch((error: NodeJS.ErrnoException) => {
        const message = error.code === 'EADDRINUSE'
          ? `Error setting up listener: Address already in use (${target.host}:${target.port}); is another mongod running on this port? Stop it or choose another net.port.`
          : `Error setting up listener on ${target.host}:${target.port}: ${error.message}`;
        this.state.log.write({ s: 'E', c: 'NETWORK', id: 23024, ctx: 'initandlisten', msg: 'Failed to set up listener', attr: { error: message } });
        throw new Error(message);
      });
      server.on('error', (error) => {
        this.state.log.write({ s: 'E', c: 'NETWORK', id: 23024, ctx: 'listener', msg: 'Listener error', attr: { error: error.message } });
      });
      const actual = server.address();
      const listener: Listener = { address, host: target.host, port: typeof actual === 'object' && actual ? actual.port : target.port, ...(target.peerAddress ? { peerAddress: target.peerAddress } : {}) };
      this.servers.push(server);
      this.listeners.push(listener);
      this.state.log.write({ s: 'I', c: 'NETWORK', id: 23015, ctx: 'listener', msg: 'Listening on', attr: { address: listener.address } });
    }
    this.state.log.write({ s: 'I', c: 'NETWORK', id: 23016, ctx: 'listener', msg: 'Waiting for connections', attr: { port: this.listeners[0]?.port, ssl: 'off' } });
    return this.listeners;
  }

  private accept(socket: Socket, peerAddress: string | undefined, localAddress: string): void {
    const id = this.nextConnectionId++;
    const conn = new ConnectionState(id, peerAddress ?? socket.remoteAddress ?? 'unknown', socket.remotePort ?? 0, localAddress);
    const uuid = randomUUID();
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const log = this.state.log;
    log.write({
      s: 'I', c: 'NETWORK', id: 22943, ctx: 'listener', msg: 'Connection accepted',
      attr: { remote: conn.remote, isLoadBalanced: false, uuid: { uuid: { $uuid: uuid } }, connectionId: id, connectionCount: this.sockets.size },
    });
    const framer = new MessageFramer();
    let closing = false;
    // Messages are answered one at a time and in order. A command that waits (the first
    // $where loads the script engine) holds back the rest of this connection only.
    const queue: RawMessage[] = [];
    let waiting = false;
    const fail = (error: unknown) => {
      if (closing) return;
      closing = true;
      const reason = error instanceof ProtocolError ? error.message : `internal error: ${(error as Error)?.message ?? String(error)}`;
      log.write({
        s: 'I', c: 'NETWORK', id: 22988, ctx: `conn${id}`, msg: 'Error receiving request from client. Ending connection from remote',
        attr: { error: { code: 17, codeName: 'ProtocolError', errmsg: reason }, remote: conn.remote, connectionId: id },
      });
      socket.destroy();
    };
    const drain = () => {
      try {
        while (!waiting && !closing && queue.length > 0) {
          const pending = this.handle(socket, conn, queue.shift()!);
          if (pending) {
            waiting = true;
            pending.then(() => {
              waiting = false;
              drain();
            }, fail);
          }
        }
      } catch (error) {
        fail(error);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      if (closing) return;
      try {
        queue.push(...framer.push(chunk));
      } catch (error) {
        fail(error);
        return;
      }
      drain();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(socket);
      log.write({
        s: 'I', c: 'NETWORK', id: 22944, ctx: `conn${id}`, msg: 'Connection ended',
        attr: { remote: conn.remote, isLoadBalanced: false, uuid: { uuid: { $uuid: uuid } }, connectionId: id, connectionCount: this.sockets.size },
      });
    });
  }

  /** Answers one message; returns a promise when the answer has to wait. */
  private handle(socket: Socket, conn: ConnectionState, message: RawMessage): Promise<void> | undefined {
    if (message.opCode === OpCode.MSG) {
      let parsed: ReturnType<typeof parseOpMsg>;
      try {
        parsed = parseOpMsg(message.payload);
      } catch (error) {
        // A message read whole but refused (nested too deep) is answered, not a broken connection.
        if (!(error instanceof CommandError)) throw error;
        if ((message.payload.readUInt32LE(0) & MsgFlag.moreToCome) === 0) this.send(socket, frameOpMsg(message.requestId, this.encode(error.toReply())));
        return undefined;
      }
      const db = parsed.body.$db;
      const reply = typeof db === 'string' && db.length > 0
        ? this.run(conn, db, parsed.body, parsed.rawSequences, parsed.bodyRaw)
        : { ok: 0, errmsg: 'OP_MSG requests require a $db argument', code: 40571, codeName: 'Location40571' };
      const answer = (value: Reply) => {
        if (!parsed.moreToCome) this.send(socket, frameOpMsg(message.requestId, this.encode(value)));
      };
      if (reply instanceof Promise) return reply.then(answer);
      answer(reply);
      return undefined;
    } else if (message.opCode === OpCode.QUERY) {
      let parsed: ReturnType<typeof parseOpQuery>;
      try {
        parsed = parseOpQuery(message.payload);
      } catch (error) {
        if (!(error instanceof CommandError)) throw error;
        this.send(socket, frameOpReply(message.requestId, this.encode(error.toReply())));
        return undefined;
      }
      const dot = parsed.fullCollectionName.indexOf('.');
      const db = dot > 0 ? parsed.fullCollectionName.slice(0, dot) : parsed.fullCollectionName;
      let reply: Reply | Promise<Reply>;
      if (parsed.fullCollectionName.endsWith('.$cmd')) {
        reply = this.run(conn, db, parsed.query, new Map());
      } else {
        reply = {
          ok: 0,
          errmsg: `Unsupported OP_QUERY command: find. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal`,
          code: 352,
          codeName: 'UnsupportedOpQueryCommand',
        };
      }
      const answer = (value: Reply) => this.send(socket, frameOpReply(message.requestId, this.encode(value)));
      if (reply instanceof Promise) return reply.then(answer);
      answer(reply);
      return undefined;
    } else {
      throw new ProtocolError(`unsupported opCode ${message.opCode}`);
    }
  }

  private run(conn: ConnectionState, db: string, cmd: Document, rawSequences: Map<string, Buffer[]>, bodyRaw?: Buffer): Reply | Promise<Reply> {
    const reply = runCommand({ db, cmd, rawSequences, bodyRaw, conn, server: this.state });
    if ((Object.keys(cmd)[0] === 'hello' || Object.keys(cmd)[0]?.toLowerCase() === 'ismaster') && cmd.client && !conn.metadataLogged) {
      conn.metadataLogged = true;
      this.state.log.write({ s: 'I', c: 'NETWORK', id: 51800, ctx: `conn${conn.id}`, msg: 'client metadata', attr: { remote: conn.remote, client: `conn${conn.id}`, doc: cmd.client } });
    }
    return reply;
  }

  /** A reply that cannot be encoded becomes an error reply, not a dropped connection. */
  private encode(reply: Parameters<typeof encodeReplyBody>[0]): Buffer {
    try {
      const body = encodeReplyBody(reply);
      if (body.length > MAX_BSON_OBJECT_SIZE + 16 * 1024) {
        return encodeReplyBody({ ok: 0, errmsg: `BSONObj size: ${body.length} is invalid. Size must be between 0 and ${MAX_BSON_OBJECT_SIZE}(16MB)`, code: 10334, codeName: 'BSONObjectTooLarge' });
      }
      return body;
    } catch (error) {
      return encodeReplyBody({ ok: 0, errmsg: `could not encode the reply: ${(error as Error).message}`, code: 1, codeName: 'InternalError' });
    }
  }

  private send(socket: Socket, parts: Buffer[]): void {
    if (socket.destroyed) return;
    socket.cork();
    for (const part of parts) socket.write(part);
    socket.uncork();
  }

  async close(): Promise<void> {
    const closing = [...this.sockets].map((socket) => new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    }));
    await Promise.all([...closing, ...this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))]);
    this.servers.length = 0;
  }
}
