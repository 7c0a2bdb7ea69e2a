import { connect, type Socket } from 'node:net';
import { serialize, type Document } from 'bson';

/** Builds an OP_MSG with one kind-0 body (and optional kind-1 sections). */
export function opMsg(body: Document, options: { requestId?: number; flags?: number; sequences?: Record<string, Document[]> } = {}): Buffer {
  const parts: Buffer[] = [];
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(options.flags ?? 0);
  parts.push(flags, Buffer.from([0]), Buffer.from(serialize(body)));
  for (const [id, docs] of Object.entries(options.sequences ?? {})) {
    const payload = Buffer.concat([Buffer.from(`${id}\0`, 'utf8'), ...docs.map((d) => Buffer.from(serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    parts.push(Buffer.from([1]), size, payload);
  }
  return withHeader(Buffer.concat(parts), 2013, options.requestId ?? 1);
}

export function withHeader(payload: Buffer, opCode: number, requestId = 1): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(payload.length + 16, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, payload]);
}

export interface RawExchange {
  /** Bytes the server sent back before the connection ended (or the wait ran out). */
  received: Buffer;
  /** Whether the server closed the connection. */
  closedByServer: boolean;
}

/**
 * Sends raw bytes on a fresh connection and collects what comes back until the server closes
 * it or `waitMs` passes. `halfClose` ends our side after sending (the server may still reply).
 */
export function exchange(port: number, bytes: Buffer, waitMs = 500, halfClose = false): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received: Buffer.concat(chunks), closedByServer });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (d) => chunks.push(d));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => {
      socket.write(bytes);
      if (halfClose) socket.end();
    });
  });
}
