/**
 * The byte streams between commands. Commands run in this process, so a pipe is an in-memory
 * queue: a writer pushes chunks, the reader takes them as they come (crack's progress shows as
 * it is printed). A reader that stops early (`head -n 1`) makes later writes vanish, as a
 * closed pipe does, instead of failing the writer.
 */
import { Readable } from 'node:stream';

export interface OutputSink {
  write(chunk: string | Uint8Array): void;
  /** True for the terminal itself (tools colour and prompt only there). */
  readonly isTTY?: boolean;
  close?(): void;
}

export interface InputSource {
  /** Every byte until the writer closes. */
  readAll(): Promise<Buffer>;
  /** The chunks as they arrive. */
  chunks(): AsyncIterable<Buffer>;
  /** The same as a Node stream (what tools expect as stdin). */
  toReadable(): Readable;
}

const toBuffer = (chunk: string | Uint8Array): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));

export class Pipe implements OutputSink, InputSource {
  #queue: Buffer[] = [];
  #closed = false;
  #abandoned = false;
  #wake: (() => void) | undefined;

  write(chunk: string | Uint8Array): void {
    if (this.#closed || this.#abandoned) return;
    const buffer = toBuffer(chunk);
    if (buffer.length === 0) return;
    this.#queue.push(buffer);
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async *chunks(): AsyncIterable<Buffer> {
    try {
      for (;;) {
        const next = this.#queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (this.#closed) return;
        await new Promise<void>((done) => (this.#wake = done));
        this.#wake = undefined;
      }
    } finally {
      // The reader is gone (finished or stopped early): what is still written goes nowhere.
      this.#abandoned = true;
      this.#queue = [];
    }
  }

  async readAll(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.chunks()) parts.push(chunk);
    return Buffer.concat(parts);
  }

  toReadable(): Readable {
    return Readable.from(this.chunks(), { objectMode: false });
  }
}

/** Input with nothing in it: a command in a pipeline's first stage, `< /dev/null`. */
export const EMPTY_INPUT: InputSource = {
  readAll: async () => Buffer.alloc(0),
  chunks: async function* () {},
  toReadable: () => Readable.from([]),
};

/** A file's bytes as input (`< file`). */
export function bufferInput(bytes: Buffer): InputSource {
  return {
    readAll: async () => bytes,
    chunks: async function* () {
      if (bytes.length) yield bytes;
    },
    toReadable: () => Readable.from(bytes.length ? [bytes] : []),
  };
}

/** Collects what is written (command substitution). */
export class Collector implements OutputSink {
  #parts: Buffer[] = [];
  write(chunk: string | Uint8Array): void {
    this.#parts.push(toBuffer(chunk));
  }
  text(): string {
    return Buffer.concat(this.#parts).toString('utf8');
  }
}

export const NULL_SINK: OutputSink = { write: () => undefined };
