/**
 * A lab's world as a child process of this one (the lab shell, `npm run checks`, a test):
 * `node world-process.mjs <labDir>` with stdio pipes, never detached. Readiness comes from the
 * child's own report line (world-report.ts), death from its exit event; it is stopped by
 * saying "stop" on its stdin (or, if it does not listen, by killing our own child). No pid
 * files, no process groups, no signals to anything but this child: what WebContainer documents.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { labStateDir, worldInfoPath, worldLogPath, type WorldInfo } from '../lab-folder/paths.ts';
import { parseWorldReport } from './world-report.ts';

export type { WorldInfo };

/** The result of a start: ready, or failed with the world's own words (a broken mongod.conf, say). */
export type StartResult = { ok: true; info: WorldInfo } | { ok: false; error: string; info?: WorldInfo };

export interface StartOptions {
  /** How long to wait for the world to say ready or failed. */
  timeoutMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 6000;

/**
 * How to run the world process. Inside a lab bundle this module is part of an .mjs file in
 * .lab/ and world-process.mjs sits beside it; from the sources it needs tsx's loader.
 * CLOUDPETS_WORLD_ENTRY names another script (tests use stand-in worlds), and
 * CLOUDPETS_WORLD_ENTRY_STANDBY=1 says that script understands --standby.
 */
function worldCommand(): { command: string; args: string[]; standbyCapable: boolean } {
  const bundled = import.meta.url.endsWith('.mjs');
  // A stand-in world (CLOUDPETS_WORLD_ENTRY) knows nothing of --standby unless it says so.
  const standbyCapable = process.env.CLOUDPETS_WORLD_ENTRY === undefined || process.env.CLOUDPETS_WORLD_ENTRY_STANDBY === '1';
  const entry = process.env.CLOUDPETS_WORLD_ENTRY ?? fileURLToPath(new URL(bundled ? './world-process.mjs' : './world-process.ts', import.meta.url));
  if (!entry.endsWith('.ts')) return { command: process.execPath, args: [entry], standbyCapable };
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return { command: process.execPath, args: ['--import', pathToFileURL(tsx).href, entry], standbyCapable };
}

/** Appends a world's stderr to the lab's world log. The log is a convenience: a read-only folder must not stop the world. */
function appendToWorldLog(dir: string, text: string): void {
  try {
    appendFileSync(worldLogPath(dir), text);
  } catch {
    // Nothing to do: the world runs on without its log.
  }
}

function spawnWorldProcess(dir: string, standby: boolean): ChildProcess {
  const { command, args } = worldCommand();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  return spawn(command, [...args, dir, ...(standby ? ['--standby'] : [])], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], env });
}

export class LabWorld {
  readonly labDir: string;
  /**
   * Keep a standby world process (world-process.ts --standby: Node started, the world's code
   * loaded, nothing started) beside the running world, so a restart (every `checks` run
   * restarts the world with the learner's files) skips most of its time. A long-lived owner
   * (the lab shell) turns it on; a one-off run (`npm run checks`) would only pay for it.
   */
  keepStandby = false;
  /**
   * How long after a world is ready its standby starts loading. Not at once: a world is
   * restarted for the checks, which run right after it is ready, and on a 2-core machine a
   * standby loading meanwhile made them twice as slow (bench/lab.ts). Nor while the first
   * world still starts (seeding): that made the first Run checks slower, not faster.
   */
  standbyDelayMs = 3000;
  #standbyTimer: NodeJS.Timeout | undefined;
  #standby: { child: ChildProcess; stopLogging(): void } | undefined;
  #child: ChildProcess | undefined;
  #info: WorldInfo | undefined;
  #starting: Promise<StartResult> | undefined;
  #stopping: Promise<void> | undefined;
  /** Set when the world died without being asked to; cleared by takeUnexpectedExit(). */
  #unexpectedExit: string | undefined;
  readonly #exitListeners = new Set<(why: string) => void>();

  constructor(labDir: string) {
    this.labDir = resolve(labDir);
  }

  /** The world's last report, or undefined when no world runs. */
  get info(): WorldInfo | undefined {
    return this.#child ? this.#info : undefined;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#info?.status === 'ready';
  }

  /** Called when the world dies without being asked to (the lab shell says so at its next prompt). */
  onUnexpectedExit(listener: (why: string) => void): () => void {
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
  }

  /** Why the world died unasked, once (undefined if it did not). */
  takeUnexpectedExit(): string | undefined {
    const why = this.#unexpectedExit;
    this.#unexpectedExit = undefined;
    return why;
  }

  /** Starts the world unless it already runs; concurrent calls share one start. */
  async start(options: StartOptions = {}): Promise<StartResult> {
    if (this.#stopping) await this.#stopping;
    if (this.running && this.#info) return { ok: true, info: this.#info };
    this.#starting ??= this.#spawn(options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS).finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  async restart(options: StartOptions = {}): Promise<StartResult> {
    if (this.#starting) await this.#starting;
    await this.stop();
    return this.start(options);
  }

  /** Stops the world and the standby world; nothing of this world is left running. */
  async close(): Promise<void> {
    this.keepStandby = false;
    this.#dropStandby();
    await this.stop();
  }

  /** Starts a standby world unless one is there (only while keepStandby and a real world entry). */
  #prepareStandby(): void {
    if (!this.keepStandby || this.#standby || !worldCommand().standbyCapable) return;
    const child = spawnWorldProcess(this.labDir, true);
    // Until it starts, a standby world says nothing on stdout; what it writes to stderr goes to the log.
    const log = (text: string): void => appendToWorldLog(this.labDir, text);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', log);
    child.stdin!.on('error', () => undefined);
    const gone = (): void => {
      if (this.#standby?.child === child) this.#standby = undefined;
    };
    child.once('exit', gone);
    child.once('error', gone);
    this.#standby = { child, stopLogging: () => child.stderr!.off('data', log) };
  }

  /** The standby world, taken for a start (undefined when none is alive). */
  #takeStandby(): ChildProcess | undefined {
    const standby = this.#standby;
    this.#standby = undefined;
    if (!standby) return undefined;
    const { child } = standby;
    if (child.exitCode !== null || child.signalCode !== null || !child.stdin?.writable) return undefined;
    standby.stopLogging(); // #spawn logs its output from now on
    return child;
  }

  #dropStandby(): void {
    clearTimeout(this.#standbyTimer);
    this.#standbyTimer = undefined;
    const child = this.#standby?.child;
    this.#standby = undefined;
    if (!child) return;
    // Ending its stdin ends it (world-process.ts); it is our own child, so a kill is allowed too.
    if (child.stdin?.writable) child.stdin.end();
    else child.kill('SIGKILL');
  }

  /** Stops the world; true when one was running. */
  async stop(): Promise<boolean> {
    const child = this.#child;
    if (!child) return false;
    this.#stopping ??= new Promise<void>((done) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      // A world that is still starting cannot read stdin yet; ending stdin reaches it anyway.
      if (child.stdin?.writable) child.stdin.end('stop\n');
      else child.kill('SIGTERM');
    }).finally(() => (this.#stopping = undefined));
    await this.#stopping;
    return true;
  }

  #spawn(timeoutMs: number): Promise<StartResult> {
    const dir = this.labDir;
    mkdirSync(labStateDir(dir), { recursive: true });
    const standby = this.#takeStandby();
    const child = standby ?? spawnWorldProcess(dir, false);
    if (standby) standby.stdin!.write('start\n');
    this.#child = child;
    this.#info = undefined;
    const log = (text: string): void => appendToWorldLog(dir, text);
    return new Promise<StartResult>((done) => {
      let settled = false;
      const settle = (result: StartResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        done(result);
      };
      const timer = setTimeout(() => {
        settle({ ok: false, error: `the world did not become ready within ${Math.round(timeoutMs / 1000)} s: ${lastLogLines(dir)}` });
        // A world stuck starting may not read its stdin yet: end our own child at once.
        child.kill('SIGKILL');
      }, timeoutMs);
      let pending = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (text: string) => {
        pending += text;
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          const info = parseWorldReport(line);
          if (!info) {
            log(line + '\n');
            continue;
          }
          if (this.#child === child) this.#info = info;
          if (info.status === 'ready') {
            // A world that is back needs no word about the one that died.
            this.#unexpectedExit = undefined;
            settle({ ok: true, info });
            // The next restart's world gets ready while this one runs, once it is quiet.
            if (this.#child === child && this.keepStandby) {
              clearTimeout(this.#standbyTimer);
              this.#standbyTimer = setTimeout(() => {
                if (this.#child === child && this.running) this.#prepareStandby();
              }, this.standbyDelayMs);
              this.#standbyTimer.unref();
            }
          }
          if (info.status === 'failed') settle({ ok: false, error: info.error ?? 'the world failed to start', info });
        }
      });
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (text: string) => log(text));
      child.stdin!.on('error', () => undefined); // a world that died closes its end
      child.on('error', (error) => {
        log(`could not start the world process: ${error.message}\n`);
        settle({ ok: false, error: `could not start the world process: ${error.message}` });
      });
      child.on('exit', (code, signal) => {
        const asked = this.#stopping !== undefined;
        if (this.#child === child) {
          this.#child = undefined;
          if (this.#info?.status === 'ready' && !asked) {
            const why = `the lab services stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`;
            this.#unexpectedExit = why;
            for (const listener of this.#exitListeners) listener(why);
          }
          this.#info = this.#info ? { ...this.#info, status: this.#info.status === 'failed' ? 'failed' : 'stopped' } : undefined;
        }
        settle({ ok: false, error: `the world process exited (${signal ? `signal ${signal}` : `code ${code}`}) before it was ready: ${lastLogLines(dir)}` });
      });
    });
  }

  /** The child's pid (tests kill it outright to play a crash). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }
}

function lastLogLines(dir: string): string {
  try {
    const lines = readFileSync(worldLogPath(dir), 'utf8').trim().split('\n');
    return lines.slice(-3).join(' | ') || '(no output)';
  } catch {
    return '(no output)';
  }
}

/** `.lab/world.json` as the world last wrote it (checks read the services from it). */
export function readWorldInfo(labDir: string): WorldInfo | undefined {
  try {
    return JSON.parse(readFileSync(worldInfoPath(labDir), 'utf8')) as WorldInfo;
  } catch {
    return undefined;
  }
}
