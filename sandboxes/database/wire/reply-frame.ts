import { OpCode } from './limits.ts';

let nextRequestId = 1;

/** OP_MSG reply: flags 0, one kind-0 section, no checksum (drivers accept nothing else). */
export function frameOpMsg(responseTo: number, body: Buffer): Buffer[] {
  const header = Buffer.allocUnsafe(16 + 4 + 1);
  header.writeInt32LE(header.length + body.length, 0);
  header.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(OpCode.MSG, 12);
  header.writeUInt32LE(0, 16);
  header[20] = 0;
  return [header, body];
}

/** OP_REPLY, only ever sent for a legacy OP_QUERY command (the first handshake). */
export function frameOpReply(responseTo: number, body: Buffer): Buffer[] {
  const header = Buffer.allocUnsafe(16 + 20);
  header.writeInt32LE(header.length + body.length, 0);
  header.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(OpCode.REPLY, 12);
  header.writeInt32LE(0, 16); // responseFlags
  header.writeBigInt64LE(0n, 20); // cursorID
  header.writeInt32LE(0, 28); // startingFrom
  header.writeInt32LE(1, 32); // numberReturned
  return [header, body];
}
