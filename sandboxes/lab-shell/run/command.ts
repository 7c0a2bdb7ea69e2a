/** What every command of the lab shell is: a function of its arguments and streams. */
import type { InputSource, OutputSink } from './streams.ts';
import type { Shell } from './shell.ts';

export interface CommandContext {
  name: string;
  args: string[];
  stdin: InputSource;
  stdout: OutputSink;
  stderr: OutputSink;
  /** Variables handed to this command (exported ones plus `NAME=value cmd` assignments). */
  env: Record<string, string>;
  shell: Shell;
  /** Aborted on Ctrl+C. */
  signal: AbortSignal;
  /** The terminal's input, when this command alone holds the terminal (no pipe into it). */
  terminalInput?: NodeJS.ReadStream;
}

export interface ShellCommand {
  name: string;
  /** One line for `help`. */
  summary: string;
  run(ctx: CommandContext): Promise<number>;
  /** Takes the terminal over (reads keys itself): the shell's own line editor steps aside. */
  interactive?: boolean;
}

/** A usage error: the command says what is wrong and how to call it (exit 2, as coreutils do). */
export class UsageError extends Error {
  override name = 'UsageError';
}
