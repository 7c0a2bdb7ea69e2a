/**
 * Terminal input with back-pressure. node-pty's write() hands everything to the pty master's
 * socket at once; a 4 MB paste (or 15 MB and a storm of resizes) then sits in memory and keeps
 * the event loop busy feeding a shell that reads a line at a time. Here input waits in a
 * bounded queue and goes out in small pieces only while the socket's own buffer is low;
 * input beyond the bound is refused (the caller tells the learner) rather than queued.
 */
import type { IPty } from '@lydell/node-pty';

/** Input waiting to reach the shell, at most (characters). Far more than any command a lab needs. */
export const INPUT_QUEUE_LIMIT = 256 * 1024;
const PIECE = 4096;
/** Stop writing while the socket holds this much (bytes not yet taken by the pty). */
const HIGH_WATER = 16 * 1024;

/** How soon to look at the socket's buffer again while it is above HIGH_WATER. */
const RECHECK_MS = 5;

interface WritableSocket {
  readonly writableLength: number;
}

export class PtyInput {
  private queue: string[] = [];
  private queued = 0;
  private waiting = false;
  private disposed = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly socket: WritableSocket | undefined;
  private readonly onRecheck = () => {
    this.waiting = false;
    this.pump();
  };

  constructor(private readonly terminal: IPty) {
    // node-pty's UnixTerminal writes through `_socket` (a net.Socket on the pty master). Its
    // public write() gives no back-pressure signal, so we read the socket's buffer level.
    const socket = (terminal as unknown as { _socket?: WritableSocket })._socket;
    this.socket = socket && typeof socket.writableLength === 'number' ? socket : undefined;
  }

  /** Queues input; false (nothing queued) when the queue would pass INPUT_QUEUE_LIMIT. */
  write(data: string): boolean {
    if (this.disposed || data.length === 0) return true;
    if (this.queued + data.length > INPUT_QUEUE_LIMIT) return false;
    this.queue.push(data);
    this.queued += data.length;
    this.pump();
    return true;
  }

  private pump(): void {
    while (!this.disposed && !this.waiting && this.queue.length > 0) {
      if (this.socket && this.socket.writableLength > HIGH_WATER) {
        // The pty master's stream does not reliably emit 'drain' (seen with node-pty 1.1),
        // so look at its buffer again shortly: cheap, and never a busy loop.
        this.waiting = true;
        this.timer = setTimeout(this.onRecheck, RECHECK_MS);
        return;
      }
      const head = this.queue[0]!;
      let piece = head.slice(0, PIECE);
      // Never split a surrogate pair between two writes (it would reach the shell as U+FFFD).
      if (piece.length === PIECE && /[\uD800-\uDBFF]$/.test(piece)) piece = piece.slice(0, -1);
      if (piece.length === head.length) this.queue.shift();
      else this.queue[0] = head.slice(piece.length);
      this.queued -= piece.length;
      try {
        this.terminal.write(piece);
      } catch {
        this.dispose(); // the pty has exited
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.queue = [];
    this.queued = 0;
    clearTimeout(this.timer);
  }
}
