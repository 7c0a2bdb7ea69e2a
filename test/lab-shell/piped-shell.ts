/**
 * A lab shell with its input on a pipe (no terminal), for tests that type lines and read what
 * they print: each line is written once the previous one's prompt has come back.
 */
import { spawn } from 'node:child_process';

export const READY_SIGNAL = '\x1b]654;cloudpets-ready\x07';
const PROMPT = 'learner@internet:';

export interface PipedShell {
  exited: Promise<number>;
  output(): string;
  errors(): string;
  /** Types a line; resolves with what it printed on stdout once the next prompt shows. */
  type(line: string): Promise<string>;
  end(): void;
  kill(): void;
}

export function startPipedShell(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): PipedShell {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number>((done) => child.on('exit', (code) => done(code ?? 1)));
  const until = async (condition: () => boolean): Promise<void> => {
    while (!condition() && child.exitCode === null) await new Promise((done) => setTimeout(done, 25));
  };
  const ready = until(() => out.includes(READY_SIGNAL));
  const prompts = (): number => out.split(PROMPT).length - 1;
  return {
    exited,
    output: () => out,
    errors: () => err,
    async type(line) {
      await ready;
      const before = out.length;
      const count = prompts();
      child.stdin.write(`${line}\n`);
      await until(() => prompts() > count);
      return out.slice(before).replace(/learner@internet:[^$]*\$ $/, '');
    },
    end: () => child.stdin.end(),
    kill: () => child.kill('SIGKILL'),
  };
}
