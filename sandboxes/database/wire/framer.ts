import { ProtocolError } from '../errors.ts';
import { HEADER_SIZE, MAX_MESSAGE_SIZE_BYTES } from './limits.ts';

export interface RawMessage {
  requestId: number;
  responseTo: number;
  opCode: number;
  /** The bytes after the 16-byte header. */
  payload: Buffer;
}

/**
 * Cuts a TCP byte stream into whole wire messages. It checks the announced length before
 * buffering anything, so a header claiming 2 GB cannot make the server allocate it: such a
 * header is a protocol error and only that connection is closed.
 */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): RawMessage[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: RawMessage[] = [];
    while (this.buffered >= 4) {
      const head = this.peek(Math.min(this.buffered, HEADER_SIZE));
      const length = head.readInt32LE(0);
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE_BYTES) {
        throw new ProtocolError(
          `message length ${length} is outside the allowed range ${HEADER_SIZE}..${MAX_MESSAGE_SIZE_BYTES} bytes`,
        );
      }
      if (this.buffered < length) break;
      const whole = this.take(length);
      messages.push({
        requestId: whole.readInt32LE(4),
        responseTo: whole.readInt32LE(8),
        opCode: whole.readInt32LE(12),
        payload: whole.subarray(HEADER_SIZE),
      });
    }
    return messages;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!;
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined;
  }

  private take(n: number): Buffer {
    const joined = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const out = joined.subarray(0, n);
    const rest = joined.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }
}
