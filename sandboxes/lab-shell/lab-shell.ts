/**
 * A lab shell for one lab folder: the interpreter with every command registered, the lab's
 * environment built (the one place it is built, for both runtimes), and `typeLine` to run one
 * typed line with Ctrl+C handling. The terminal (terminal.ts) and `npm run checks` (typing a
 * solution) both drive it.
 */
import { join } from 'node:path';
import { Shell, ExitRequest } from './run/shell.ts';
import { ShellSyntaxError } from './syntax/parse.ts';
import { EMPTY_INPUT, type InputSource, type OutputSink } from './run/streams.ts';
import { EVERYDAY_COMMANDS, helpCommand } from './commands/index.ts';
import { labCommands } from './commands/lab-commands.ts';
import type { LabHost } from './lab-host.ts';

/** How long a command may take to stop after Ctrl+C before the prompt comes back without it. */
export const INTERRUPT_GRACE_MS = 800;

/** The environment commands see: what the runtime passed that matters, plus the lab's own. */
export function labEnvironment(labDir: string, given: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['TERM', 'COLUMNS', 'LINES', 'LANG', 'NO_COLOR', 'TZ']) {
    const value = given[name];
    if (value !== undefined) env[name] = value;
  }
  env.TERM ??= 'xterm-256color';
  env.CLOUDPETS_LAB_DIR = labDir;
  // Tools resolve lab names (db.cloudpets.test) through the world's map (world/network/resolve.ts).
  env.CLOUDPETS_NETWORK = join(labDir, '.lab', 'network.json');
  env.USER = 'learner';
  env.HOSTNAME = 'internet';
  return env;
}

export function createLabShell(host: LabHost, given: NodeJS.ProcessEnv = process.env): Shell {
  const env = labEnvironment(host.labDir, given);
  // Tools run in this process and read the network map's location from process.env.
  process.env.CLOUDPETS_NETWORK = env.CLOUDPETS_NETWORK;
  const shell = new Shell(host.labDir, env);
  const lab = labCommands(host);
  for (const command of [...lab, ...EVERYDAY_COMMANDS]) shell.register(command);
  shell.register(helpCommand(() => lab.map((command) => command.name)));
  return shell;
}

export interface TypedLineIO {
  stdout: OutputSink;
  stderr: OutputSink;
  stdin?: InputSource;
  terminalInput?: NodeJS.ReadStream;
}

export type TypedLineResult = { status: number; exit?: number; interrupted?: boolean };

/**
 * Runs one complete command line. `interrupt` is a promise the caller resolves on Ctrl+C: the
 * line's signal is aborted, and if the command has not stopped after INTERRUPT_GRACE_MS the
 * prompt comes back anyway (the command's further output is dropped by the caller).
 */
export async function typeLine(shell: Shell, line: string, io: TypedLineIO, interrupt?: Promise<void>): Promise<TypedLineResult> {
  const controller = new AbortController();
  const running = shell
    .runLine(line, { stdin: io.stdin ?? EMPTY_INPUT, stdout: io.stdout, stderr: io.stderr, signal: controller.signal, terminalInput: io.terminalInput })
    .then(
      (status): TypedLineResult => ({ status }),
      (error: unknown): TypedLineResult => {
        if (error instanceof ExitRequest) return { status: error.code, exit: error.code };
        if (error instanceof ShellSyntaxError) {
          io.stderr.write(`lab-shell: ${error.message}\n`);
          return { status: 2 };
        }
        io.stderr.write(`lab-shell: ${error instanceof Error ? error.message : String(error)}\n`);
        return { status: 1 };
      },
    );
  if (!interrupt) return running;
  const stopped = interrupt.then(async (): Promise<TypedLineResult> => {
    controller.abort();
    const grace = new Promise<TypedLineResult>((done) => setTimeout(() => done({ status: 130, interrupted: true }), INTERRUPT_GRACE_MS).unref());
    const result = await Promise.race([running, grace]);
    return { ...result, status: 130, interrupted: true };
  });
  const raced = await Promise.race([running, stopped]);
  // A command that stopped by itself on Ctrl+C was still interrupted.
  const result = controller.signal.aborted ? { ...raced, interrupted: true } : raced;
  shell.lastStatus = result.status;
  return result;
}
