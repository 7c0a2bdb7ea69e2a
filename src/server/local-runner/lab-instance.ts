/**
 * One running lab on the learner's machine: a fresh temporary copy of the built bundle
 * (dist/labs/<id>/) and the lab shell (`node .lab/lab-shell.mjs`) in a pty, which owns the
 * lab's world (docs/lab-runtime-contract.md). Everything it starts carries a marker so
 * close() can find and kill it all (process-reaper.ts).
 *
 * Operations on one lab are serialised (reset, close): a reset racing a close, or two resets,
 * must never leave a lab folder or a process behind.
 */
import { randomBytes } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readdir, realpath, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import * as pty from '@lydell/node-pty';
import { OUTPUT_DIRS, OUTPUT_FILES, collectOutputs, type ListOutputsOptions, createReadyDetector, type LabOutput } from '../../runtimes/runtime.ts';
import { MAX_FILE_BYTES } from '../../runtimes/local/protocol.ts';
import { LAB_MARKER_VARIABLE, killLabProcesses, labFolderPrefix, newLabMarker } from './process-reaper.ts';
import { LabOperationError, callLabOperation, followReports, readControlEndpoint } from './lab-control-client.ts';
import { PtyInput } from './pty-input.ts';
import { labFolderFromBundle } from '../../../sandboxes/lab-folder/from-bundle.ts';

export interface LabInstanceOptions {
  labId: string;
  /** dist/labs/<id>/ */
  bundleDir: string;
  /** Where lab folders are created; default: the OS temp dir. */
  workRoot?: string;
  /** The learner's seed, written into .lab/lab.json before the shell starts. */
  seed?: number;
  /** Start the lab shell at once (a pre-warmed lab, or one a page is connecting to), before a page asks for the terminal. */
  startShell?: boolean;
}

export interface LabListeners {
  onOutput(data: string): void;
  onShellReady(): void;
  onShellExit(exitCode: number): void;
  onReport(report: unknown): void;
}

export class LabPathError extends Error {
  override name = 'LabPathError';
}

/** Output a pre-started shell produced before a page attached (its banner and prompt). */
const EARLY_OUTPUT_LIMIT = 64 * 1024;
const RESTART_WORLD_TIMEOUT_MS = 90_000;
const RUN_CHECKS_TIMEOUT_MS = 240_000;
const LAB_SHELL = join('.lab', 'lab-shell.mjs');

const NO_LISTENERS: LabListeners = { onOutput: () => undefined, onShellReady: () => undefined, onShellExit: () => undefined, onReport: () => undefined };

export class LabInstance {
  readonly marker = newLabMarker();
  readonly labId: string;
  readonly seed: number | undefined;
  labDir = '';
  private root = '';
  private shell: pty.IPty | undefined;
  private shellInput: PtyInput | undefined;
  private shellReady = false;
  /** The running shell has been handed to a page (a pre-started one waits for its page). */
  private shellClaimed = false;
  private earlyOutput = '';
  /**
   * The page wrote files (its saved work) while the shell was started but not yet its: the
   * world started with the starting files, so it restarts with the page's (a page restores
   * saved work before it asks for the terminal). Tools typed meanwhile wait for the restart.
   */
  private restartWhenClaimed = false;
  private reports: { stop(): void } | undefined;
  private closed = false;
  private listeners: LabListeners = NO_LISTENERS;
  /** The queue of lifecycle operations (prepare, reset, close). */
  private lifecycle: Promise<void> = Promise.resolve();
  private outputPaused = false;
  private pendingResize: { cols: number; rows: number } | undefined;
  private resizeTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly options: LabInstanceOptions) {
    this.labId = options.labId;
    this.seed = options.seed;
  }

  /** Who gets the terminal output and the reports (a pre-started lab gets its page when one connects). */
  attach(listeners: LabListeners): void {
    this.listeners = listeners;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The folder this lab's files live in (removed on close). */
  get rootDir(): string {
    return this.root;
  }

  static async create(options: LabInstanceOptions): Promise<LabInstance> {
    if (!existsSync(options.bundleDir)) {
      throw new Error(`no built lab "${options.labId}" at ${options.bundleDir}: run \`npm run build\` first`);
    }
    const lab = new LabInstance(options);
    await lab.queue(() => lab.prepare());
    if (options.startShell) lab.spawnShell(80, 24);
    return lab;
  }

  private queue(step: () => Promise<void>): Promise<void> {
    const next = this.lifecycle.then(step);
    this.lifecycle = next.catch(() => undefined);
    return next;
  }

  private async prepare(): Promise<void> {
    const workRoot = this.options.workRoot ?? tmpdir();
    // The folder's name carries our pid, so a runner started after a crash of this one can
    // tell its folders from a live runner's and remove them (process-reaper.ts).
    this.root = await mkdtemp(join(workRoot, `${labFolderPrefix(process.pid)}${this.labId}-`));
    try {
      // The folder is named after the lab so the prompt reads naturally (~/open-door$).
      this.labDir = await labFolderFromBundle(this.options.bundleDir, join(this.root, this.labId), { seed: this.seed });
      if (this.closed) throw new Error('the lab was closed while it was being prepared');
    } catch (error) {
      await rm(this.root, { recursive: true, force: true });
      throw error;
    }
  }

  /** The environment of the lab shell: the contract asks runtimes to pass little; the shell builds the rest. */
  private env(): Record<string, string> {
    return {
      PATH: dirname(process.execPath),
      HOME: this.labDir,
      LANG: process.env.LANG ?? 'C.UTF-8',
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
      CLOUDPETS_LAB_DIR: this.labDir,
      [LAB_MARKER_VARIABLE]: this.marker,
    };
  }

  /** Gives the page a lab shell: the pre-started one if nobody has it yet, else a new one. */
  openShell(cols: number, rows: number): void {
    if (this.closed) return;
    if (this.shell && !this.shellClaimed) {
      this.shellClaimed = true;
      if (this.shellReady) this.restartIfWritten();
      this.resize(cols, rows);
      const early = this.earlyOutput;
      this.earlyOutput = '';
      if (early) this.listeners.onOutput(early);
      if (this.shellReady) this.listeners.onShellReady();
      return;
    }
    this.spawnShell(cols, rows);
    this.shellClaimed = true;
  }

  private spawnShell(cols: number, rows: number): void {
    this.stopShell();
    this.shellClaimed = false;
    this.shellReady = false;
    this.restartWhenClaimed = false;
    this.earlyOutput = '';
    if (!existsSync(join(this.labDir, LAB_SHELL))) {
      this.listeners.onOutput(`\r\nThis lab bundle has no lab shell (${LAB_SHELL}); rebuild the site with \`npm run build\`.\r\n`);
      this.listeners.onShellExit(1);
      return;
    }
    const shell = pty.spawn(process.execPath, [LAB_SHELL], {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: this.labDir,
      env: this.env(),
    });
    this.shell = shell;
    this.shellInput = new PtyInput(shell);
    const detect = createReadyDetector();
    shell.onData((data) => {
      if (this.shell !== shell) return;
      const { text, ready } = detect(data);
      if (text) {
        if (this.shellClaimed) this.listeners.onOutput(text);
        else if (this.earlyOutput.length < EARLY_OUTPUT_LIMIT) this.earlyOutput += text;
      }
      if (ready && !this.shellReady) {
        this.shellReady = true;
        this.followReports();
        if (this.shellClaimed) this.restartIfWritten();
        if (this.shellClaimed) this.listeners.onShellReady();
      }
    });
    shell.onExit(({ exitCode }) => {
      if (this.shell !== shell) return;
      this.shell = undefined;
      this.shellInput = undefined;
      this.reports?.stop();
      this.reports = undefined;
      if (this.shellClaimed) this.listeners.onShellExit(exitCode);
    });
  }

  /** The world restart a page's early writes call for (see restartWhenClaimed); needs the shell's control server. */
  private restartIfWritten(): void {
    if (!this.restartWhenClaimed) return;
    this.restartWhenClaimed = false;
    this.restartWorld().catch(() => undefined); // a failed start is the shell's to report at its next tool
  }

  private followReports(): void {
    this.reports?.stop();
    const shell = this.shell;
    void readControlEndpoint(this.labDir).then(
      (endpoint) => {
        if (this.shell !== shell || this.closed) return;
        this.reports = followReports(endpoint, (report) => this.listeners.onReport(report), () => undefined);
      },
      () => undefined,
    );
  }

  private stopShell(): void {
    this.reports?.stop();
    this.reports = undefined;
    this.shellInput?.dispose();
    this.shellInput = undefined;
    const shell = this.shell;
    this.shell = undefined;
    try {
      shell?.kill('SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Terminal input; false when it was refused because too much is still waiting (see PtyInput). */
  input(data: string): boolean {
    return this.shellInput?.write(data) ?? true;
  }

  /**
   * Pauses the lab shell's output until `canResume()` says the page has caught up (checked
   * every 50 ms): the pty then stops being read and the shell blocks on its writes.
   */
  pauseOutput(canResume: () => boolean): void {
    const shell = this.shell;
    if (!shell || this.outputPaused) return;
    this.outputPaused = true;
    shell.pause();
    const poll = setInterval(() => {
      if (!canResume() && this.shell === shell && !this.closed) return;
      clearInterval(poll);
      this.outputPaused = false;
      if (this.shell === shell) shell.resume();
    }, 50);
  }

  /** Resizes are coalesced: a page (or an attacker) sending thousands costs one ioctl per tick. */
  resize(cols: number, rows: number): void {
    this.pendingResize = { cols, rows };
    if (this.resizeTimer) return;
    this.resizeTimer = setTimeout(() => {
      this.resizeTimer = undefined;
      const size = this.pendingResize;
      this.pendingResize = undefined;
      if (!size) return;
      try {
        this.shell?.resize(size.cols, size.rows);
      } catch {
        // the pty may have just exited
      }
    }, 16);
  }

  // --- lab operations --------------------------------------------------------------------

  async restartWorld(): Promise<unknown> {
    const answer = (await callLabOperation(this.labDir, 'POST', '/world/restart', RESTART_WORLD_TIMEOUT_MS)) as { world?: unknown };
    return answer.world ?? answer;
  }

  async runChecks(): Promise<unknown> {
    const report = await callLabOperation(this.labDir, 'POST', '/checks', RUN_CHECKS_TIMEOUT_MS);
    if (!report || typeof report !== 'object' || !Array.isArray((report as { results?: unknown }).results)) {
      throw new LabOperationError('the lab shell answered the checks with something that is not a report', 1);
    }
    return report;
  }

  // --- files -------------------------------------------------------------------------------

  private async assertInside(real: string, path: string): Promise<void> {
    if (real !== this.labDir && !real.startsWith(this.labDir + sep)) throw new LabPathError(`path "${path}" leads outside the lab folder`);
  }

  private lexical(path: string): string {
    if (typeof path !== 'string' || path.includes('\0')) throw new LabPathError('a path must be a string without NUL bytes');
    const parts = path.replace(/\\/g, '/').split('/').filter((part) => part !== '' && part !== '.');
    if (parts.includes('..')) throw new LabPathError(`path "${path}" leaves the lab folder; use a path inside it`);
    if (parts.length === 0) throw new LabPathError('name a file inside the lab folder');
    return join(this.labDir, ...parts);
  }

  /**
   * Reads a regular file of the lab. The final path is resolved (links followed) and must lie
   * inside the lab folder; FIFOs, devices and sockets are refused without blocking
   * (O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever).
   */
  async readFile(path: string): Promise<Uint8Array> {
    const full = this.lexical(path);
    let real: string;
    try {
      real = await realpath(full);
    } catch {
      throw new LabPathError(`no such file in the lab: ${path}`);
    }
    await this.assertInside(real, path);
    const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW).catch(() => {
      throw new LabPathError(`cannot open ${path}`);
    });
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new LabPathError(`${path} is not a regular file; only regular files can be opened`);
      if (info.size > MAX_FILE_BYTES) throw new LabPathError(`${path} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
      return new Uint8Array(await handle.readFile());
    } finally {
      await handle.close();
    }
  }

  /**
   * Writes a regular file of the lab, atomically: a new file next to it, renamed over it.
   * rename() replaces a link instead of following it, so a (dangling) symlink cannot carry
   * the write outside; the folder it lands in is resolved and must be inside the lab.
   */
  async writeFile(path: string, bytes: Uint8Array): Promise<void> {
    const full = this.lexical(path);
    if (bytes.length > MAX_FILE_BYTES) throw new LabPathError(`${path}: files over ${MAX_FILE_BYTES / 1024 / 1024} MiB cannot be saved`);
    // The nearest existing ancestor must be inside before anything is created below it.
    let probe = dirname(full);
    for (;;) {
      const real = await realpath(probe).catch(() => undefined);
      if (real) {
        await this.assertInside(real, path);
        break;
      }
      probe = dirname(probe);
    }
    await mkdir(dirname(full), { recursive: true }).catch(() => {
      throw new LabPathError(`cannot make the folder for ${path}`);
    });
    const folder = await realpath(dirname(full));
    await this.assertInside(folder, path);
    const target = join(folder, basename(full));
    const existing = await lstat(target).catch(() => undefined);
    if (existing && !existing.isFile() && !existing.isSymbolicLink()) throw new LabPathError(`${path} is not a regular file; only regular files can be saved`);
    const temp = join(folder, `.${basename(full)}.${randomBytes(6).toString('hex')}.saving`);
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      await handle.writeFile(bytes);
    } finally {
      await handle.close();
    }
    await rename(temp, target).catch(async (error: Error) => {
      await rm(temp, { force: true });
      throw new LabPathError(`cannot save ${path}: ${error.message}`);
    });
    // The learner's outputs (downloads, findings) are not read by the world.
    const output = OUTPUT_FILES.includes(relative(this.labDir, target)) || OUTPUT_DIRS.some((dir) => relative(this.labDir, target).startsWith(`${dir}${sep}`));
    if (this.shell && !this.shellClaimed && !output) this.restartWhenClaimed = true;
  }

  /** The learner's outputs: regular files under OUTPUT_DIRS (links not followed) and OUTPUT_FILES. */
  listOutputs(options: ListOutputsOptions = {}): Promise<LabOutput[]> {
    return collectOutputs(
      {
        entries: (dir) => readdir(join(this.labDir, dir), { withFileTypes: true }).catch(() => []),
        describe: async (path) => {
          const info = await lstat(join(this.labDir, path)).catch(() => undefined);
          return info?.isFile() ? { size: info.size, version: `${info.size}:${info.mtimeMs}` } : undefined;
        },
      },
      options,
    );
  }

  // --- lifecycle -----------------------------------------------------------------------------

  /** Back to the starting files; the shell is gone until openShell(). */
  reset(): Promise<void> {
    return this.queue(async () => {
      if (this.closed) throw new Error('the lab is closed');
      await this.stopProcesses();
      await rm(this.root, { recursive: true, force: true });
      await this.prepare();
    });
  }

  private async stopProcesses(): Promise<void> {
    const shellPid = this.shell?.pid;
    this.stopShell();
    clearTimeout(this.resizeTimer);
    this.resizeTimer = undefined;
    await killLabProcesses(this.marker, shellPid ? [shellPid] : [], this.root || undefined);
  }

  close(): Promise<void> {
    if (this.closed) return this.lifecycle;
    this.closed = true;
    this.listeners = NO_LISTENERS;
    return this.queue(async () => {
      await this.stopProcesses();
      if (this.root) await rm(this.root, { recursive: true, force: true });
    });
  }
}

