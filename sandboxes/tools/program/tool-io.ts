/**
 * What a tool needs from its process, passed in so tests can run a tool in-process and read
 * what it printed, and so the lab runtimes can run the same code on Node and in WebContainer.
 */
import type { Readable } from 'node:stream';

export interface TextSink {
  write(text: string | Uint8Array): unknown;
  isTTY?: boolean;
}

export interface ToolIO {
  stdout: TextSink;
  stderr: TextSink;
  stdin: Readable;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted on Ctrl+C for tools that stop gracefully (crack prints its final status). */
  signal?: AbortSignal;
}

export type ToolMain = (argv: string[], io: ToolIO) => Promise<number>;

export function processIO(): ToolIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

/**
 * Runs a tool as the process's main program. Exit codes come back from the tool; the stdout
 * drain before exiting matters when output is piped (`mongoexport ... | head`).
 */
export function runAsProgram(main: ToolMain, options: { gracefulInterrupt?: boolean } = {}): void {
  const io = processIO();
  if (options.gracefulInterrupt) {
    const controller = new AbortController();
    io.signal = controller.signal;
    // First Ctrl+C asks the tool to stop and report; a second one ends the process at once.
    process.once('SIGINT', () => {
      controller.abort();
      process.once('SIGINT', () => process.exit(130));
    });
  }
  // `mongoexport ... | head` closes the pipe early: that ends the tool quietly, as in a Unix tool.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
      // Open handles (a half-closed socket, readline) must not keep a finished tool alive.
      process.stdout.write('', () => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(70);
    },
  );
}
