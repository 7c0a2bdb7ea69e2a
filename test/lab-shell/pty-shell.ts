/**
 * The lab shell exactly as the WebContainer runtime starts it: `node .lab/lab-shell.mjs` with a
 * terminal (a pty here), cwd the lab folder, from a built lab bundle, in a mode held to what
 * WebContainer provides: PATH is a folder holding only `node`, `--no-addons`, and the test
 * guard (webcontainer-guard.cjs) on the node command line.
 */
import * as pty from '@lydell/node-pty';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const READY_SIGNAL = '\x1b]654;cloudpets-ready\x07';
export const GUARD = fileURLToPath(new URL('./webcontainer-guard.cjs', import.meta.url));
const PROMPT = 'learner@internet:';

let nodeOnlyPath: string | undefined;
/** A folder whose only entry is `node`: what PATH holds inside the harness. */
export function nodeOnlyBin(): string {
  if (!nodeOnlyPath) {
    nodeOnlyPath = join(mkdtempSync(join(tmpdir(), 'cloudpets-node-only-')), 'bin');
    mkdirSync(nodeOnlyPath);
    symlinkSync(process.execPath, join(nodeOnlyPath, 'node'));
  }
  return nodeOnlyPath;
}

const strip = (text: string): string =>
  text
    .replace(/\x1b\][^\x07]*\x07/g, '')
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r/g, '');

export class PtyShell {
  readonly labDir: string;
  readonly guardLog: string;
  readonly #term: pty.IPty;
  #raw = '';
  #exit: number | undefined;
  readonly exited: Promise<number>;

  constructor(labDir: string, guardLog: string) {
    this.labDir = labDir;
    this.guardLog = guardLog;
    this.#term = pty.spawn(process.execPath, ['--no-addons', '--require', GUARD, '.lab/lab-shell.mjs'], {
      name: 'xterm-256color',
      cols: 400,
      rows: 50,
      cwd: labDir,
      env: { PATH: nodeOnlyBin(), TERM: 'xterm-256color', CLOUDPETS_LAB_DIR: labDir, CLOUDPETS_GUARD_LOG: guardLog },
    });
    this.#term.onData((data) => (this.#raw += data));
    this.exited = new Promise((done) =>
      this.#term.onExit(({ exitCode }) => {
        this.#exit = exitCode;
        done(exitCode);
      }),
    );
  }

  /** Everything shown so far, without escape sequences. */
  get text(): string {
    return strip(this.#raw);
  }

  get raw(): string {
    return this.#raw;
  }

  /** Prompts shown so far (the prompt is coloured, so counted in the text without escapes). */
  get prompts(): number {
    return this.text.split(PROMPT).length - 1;
  }

  /** Waits until `condition` holds; throws with the screen's tail after `timeoutMs` (a safety net only). */
  async until(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (this.#exit !== undefined) throw new Error(`the lab shell exited (${this.#exit}) while waiting for ${what}:\n${this.text.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}:\n${this.text.slice(-2000)}`);
      await new Promise((done) => setTimeout(done, 20));
    }
  }

  ready(): Promise<void> {
    return this.until(() => this.#raw.includes(READY_SIGNAL), 'the ready signal', 60_000);
  }

  write(data: string): void {
    this.#term.write(data);
  }

  /**
   * Types a line and waits for the next prompt; resolves with what the line printed. A
   * command still running after `budgetMs` is stopped with Ctrl+C (and `stopped` is true).
   */
  async type(line: string, budgetMs = 120_000): Promise<{ output: string; stopped: boolean }> {
    const start = this.#raw.length;
    const count = this.prompts;
    this.#term.write(`${line}\r`);
    let stopped = false;
    const budget = setTimeout(() => {
      stopped = true;
      this.#term.write('\x03');
    }, budgetMs);
    try {
      await this.until(() => this.prompts > count, `the prompt after \`${line}\``, budgetMs + 60_000);
    } finally {
      clearTimeout(budget);
    }
    const output = strip(this.#raw.slice(start)).replace(/learner@internet:[^$\n]*\$ $/, '');
    // The echo of the typed line comes first.
    return { output: output.startsWith(line) ? output.slice(line.length).replace(/^\n/, '') : output, stopped };
  }

  violations(): string {
    return existsSync(this.guardLog) ? readFileSync(this.guardLog, 'utf8') : '';
  }

  kill(): void {
    this.#term.kill('SIGKILL');
  }
}
