/**
 * One running lab on the learner's machine: a fresh temporary copy of the built bundle
 * (dist/labs/<id>/), the world started in the background, and a bash in a pty with the
 * lab's tools on PATH. Everything it starts carries a marker so close() can kill it all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import * as pty from '@lydell/node-pty';
import type { DirEntry, ExecResult } from '../../runtimes/runtime.ts';
import { LAB_MARKER_VARIABLE, killLabProcesses, newLabMarker } from './process-reaper.ts';

export interface LabInstanceOptions {
  labId: string;
  /** dist/labs/<id>/ */
  bundleDir: string;
  /** Where lab folders are created; default: the OS temp dir. */
  workRoot?: string;
  onOutput?(data: string): void;
  onShellExit?(exitCode: number): void;
}

export interface LabListeners {
  onOutput(data: string): void;
  onShellExit(exitCode: number): void;
}

export class LabPathError extends Error {
  override name = 'LabPathError';
}

const EXEC_OUTPUT_LIMIT = 4 * 1024 * 1024;

export class LabInstance {
  readonly marker = newLabMarker();
  labDir = '';
  private root = '';
  private shell: pty.IPty | undefined;
  private world: ChildProcess | undefined;
  private readonly execs = new Set<ChildProcess>();
  private closed = false;
  private listeners: LabListeners;

  private constructor(private readonly options: LabInstanceOptions) {
    this.listeners = { onOutput: options.onOutput ?? (() => undefined), onShellExit: options.onShellExit ?? (() => undefined) };
  }

  /** Who gets the terminal output (a pre-started lab gets its page when one connects). */
  attach(listeners: LabListeners): void {
    this.listeners = listeners;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  static async create(options: LabInstanceOptions): Promise<LabInstance> {
    if (!existsSync(options.bundleDir)) {
      throw new Error(`no built lab "${options.labId}" at ${options.bundleDir}: run \`npm run build\` first`);
    }
    const lab = new LabInstance(options);
    await lab.prepare();
    return lab;
  }

  private async prepare(): Promise<void> {
    this.root = await mkdtemp(join(this.options.workRoot ?? tmpdir(), `cloudpets-${this.options.labId}-`));
    // The folder is named after the lab so the prompt reads naturally (~/open-door$).
    this.labDir = join(this.root, this.options.labId);
    await cp(this.options.bundleDir, this.labDir, { recursive: true });
    this.labDir = await realpath(this.labDir);
    this.startWorld();
  }

  /** The environment of everything run in the lab. */
  env(): Record<string, string> {
    const labBin = join(this.labDir, '.lab', 'bin');
    const env: Record<string, string> = {
      PATH: [labBin, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
      HOME: this.labDir,
      LANG: process.env.LANG ?? 'C.UTF-8',
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
      CLOUDPETS_LAB: this.options.labId,
      CLOUDPETS_LAB_DIR: this.labDir,
      CLOUDPETS_NETWORK: join(this.labDir, '.lab', 'network.json'),
      CLOUDPETS_WORLD_ENTRY: join(this.labDir, '.lab', 'world-process.mjs'),
      [LAB_MARKER_VARIABLE]: this.marker,
    };
    const preload = join(this.labDir, '.lab', 'network-preload.mjs');
    if (existsSync(preload)) env.NODE_OPTIONS = `--import ${preload}`;
    return env;
  }

  private startWorld(): void {
    const session = join(this.labDir, '.lab', 'lab-session.mjs');
    if (!existsSync(session)) return; // a lab without a world (or a trivial test tree)
    const log = openSync(join(this.labDir, '.lab', 'world.log'), 'a');
    try {
      // lab-session starts the world detached and exits once it is ready; the world process
      // carries our marker, so close() finds it.
      this.world = spawn(process.execPath, [session, 'start', '--lab', this.labDir], {
        cwd: this.labDir,
        env: this.env(),
        detached: true,
        stdio: ['ignore', log, log],
      });
      this.world.on('error', () => undefined);
    } finally {
      closeSync(log);
    }
  }

  openShell(cols: number, rows: number): void {
    if (this.closed) return;
    this.shell?.kill('SIGKILL');
    const rcfile = join(this.labDir, '.lab', 'bashrc');
    const args = existsSync(rcfile) ? ['--noprofile', '--rcfile', rcfile, '-i'] : ['--noprofile', '--norc', '-i'];
    const shell = pty.spawn('bash', args, {
      name: 'xterm-256color',
      cols: clampSize(cols, 80),
      rows: clampSize(rows, 24),
      cwd: this.labDir,
      env: { ...this.env(), PS1: `\\[\\e[32m\\]learner@internet\\[\\e[0m\\]:\\[\\e[34m\\]\\w\\[\\e[0m\\]$ ` },
    });
    this.shell = shell;
    shell.onData((data) => {
      if (this.shell === shell) this.listeners.onOutput(data);
    });
    shell.onExit(({ exitCode }) => {
      if (this.shell === shell) {
        this.shell = undefined;
        this.listeners.onShellExit(exitCode);
      }
    });
  }

  input(data: string): void {
    this.shell?.write(data);
  }

  resize(cols: number, rows: number): void {
    try {
      this.shell?.resize(clampSize(cols, 80), clampSize(rows, 24));
    } catch {
      // the pty may have just exited
    }
  }

  /** Resolves a lab-relative path, refusing anything that escapes the lab folder (also via symlinks). */
  async resolve(path: string, { forWrite = false } = {}): Promise<string> {
    if (typeof path !== 'string' || path.includes('\0')) throw new LabPathError('a path must be a string');
    const parts = path.replace(/\\/g, '/').split('/').filter((part) => part !== '' && part !== '.');
    if (parts.includes('..')) throw new LabPathError(`path "${path}" leaves the lab folder; use a path inside it`);
    const full = join(this.labDir, ...parts);
    // Check the real location of the nearest existing ancestor: a symlink must not lead out.
    let probe = full;
    for (;;) {
      try {
        const real = await realpath(probe);
        if (real !== this.labDir && !real.startsWith(this.labDir + sep)) {
          throw new LabPathError(`path "${path}" leads outside the lab folder`);
        }
        break;
      } catch (error) {
        if (error instanceof LabPathError) throw error;
        if (!forWrite && probe === full) throw new LabPathError(`no such file in the lab: ${path}`);
        const parent = dirname(probe);
        if (parent === probe) break;
        probe = parent;
      }
    }
    return full;
  }

  async readFile(path: string): Promise<Uint8Array> {
    return readFile(await this.resolve(path));
  }

  async writeFile(path: string, bytes: Uint8Array): Promise<void> {
    const full = await this.resolve(path, { forWrite: true });
    if (full === this.labDir) throw new LabPathError('name a file inside the lab folder');
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, bytes);
  }

  async readdir(path: string): Promise<DirEntry[]> {
    let full: string;
    try {
      full = path === '' || path === '.' ? this.labDir : await this.resolve(path);
    } catch (error) {
      if (error instanceof LabPathError && /no such file/.test(error.message)) return [];
      throw error;
    }
    const entries = await readdir(full, { withFileTypes: true }).catch(() => []);
    return Promise.all(
      entries
        .filter((entry) => entry.isFile() || entry.isDirectory())
        .map(async (entry): Promise<DirEntry> => {
          if (entry.isDirectory()) return { name: entry.name, kind: 'directory' };
          const info = await stat(join(full, entry.name)).catch(() => undefined);
          return { name: entry.name, kind: 'file', ...(info ? { version: `${info.size}:${info.mtimeMs}` } : {}) };
        }),
    );
  }

  async exec(command: string, args: string[], cwd = '', timeoutMs = 60_000): Promise<ExecResult> {
    const dir = cwd ? await this.resolve(cwd) : this.labDir;
    return new Promise((resolve) => {
      const child = spawn(command, args, { cwd: dir, env: this.env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      this.execs.add(child);
      let output = '';
      const collect = (chunk: Buffer) => {
        if (output.length < EXEC_OUTPUT_LIMIT) output += chunk.toString('utf8');
      };
      child.stdout!.on('data', collect);
      child.stderr!.on('data', collect);
      const timer = setTimeout(() => {
        output += `\n${command}: stopped after ${Math.round(timeoutMs / 1000)} s\n`;
        killGroup(child.pid);
      }, timeoutMs);
      const finish = (exitCode: number) => {
        clearTimeout(timer);
        this.execs.delete(child);
        resolve({ output, exitCode });
      };
      child.on('error', (error) => finish(error && (error as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 1));
      child.on('close', (code, signal) => finish(code ?? (signal ? 128 + 9 : 1)));
    });
  }

  /** Back to the starting files with a fresh world; the shell is gone until openShell(). */
  async reset(): Promise<void> {
    await this.stopProcesses();
    await rm(this.root, { recursive: true, force: true });
    await this.prepare();
  }

  private async stopProcesses(): Promise<void> {
    const shell = this.shell;
    this.shell = undefined;
    const roots = [shell?.pid, this.world?.pid, ...[...this.execs].map((child) => child.pid)].filter(
      (pid): pid is number => typeof pid === 'number',
    );
    await killLabProcesses(this.marker, roots);
    this.world = undefined;
    this.execs.clear();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stopProcesses();
    if (this.root) await rm(this.root, { recursive: true, force: true });
  }

}

function clampSize(value: number, fallback: number): number {
  return Number.isInteger(value) && value >= 2 && value <= 1000 ? value : fallback;
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
