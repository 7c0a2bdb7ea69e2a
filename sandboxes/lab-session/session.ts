/**
 * Starts, restarts and stops a lab folder's world as a background process, so the learner's
 * shell stays free and the world outlives the command that started it. State lives in
 * `.lab/world.pid` and `.lab/world.json` (see ../lab-folder/paths.ts). Used by the checks (restart with
 * the learner's current files before every run) and by both runtimes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { labStateDir, worldInfoPath, worldLogPath, worldPidPath, type WorldInfo } from '../lab-folder/paths.ts';
import { isProcessAlive } from './process-alive.ts';

export type { WorldInfo };

export class LabSessionError extends Error {
  override name = 'LabSessionError';
}

export interface StartOptions {
  /** How long to wait for the world to say ready or failed. */
  timeoutMs?: number;
}

/** The result of a start: ready, or failed with the world's own words (a broken mongod.conf, say). */
export type StartResult = { ok: true; info: WorldInfo } | { ok: false; error: string; info?: WorldInfo };

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

export function readWorldInfo(labDir: string): WorldInfo | undefined {
  try {
    return JSON.parse(readFileSync(worldInfoPath(labDir), 'utf8')) as WorldInfo;
  } catch {
    return undefined;
  }
}

function readPid(labDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(worldPidPath(labDir), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The running world's info, or undefined when none runs (a stale pid file is cleaned up). */
export function labWorldStatus(labDir: string): WorldInfo | undefined {
  const dir = resolve(labDir);
  const pid = readPid(dir);
  if (pid === undefined) return undefined;
  if (!isProcessAlive(pid)) {
    rmSync(worldPidPath(dir), { force: true });
    return undefined;
  }
  const info = readWorldInfo(dir);
  return info?.pid === pid ? info : undefined;
}

/**
 * How to run the world process. From the sources (.ts) it needs tsx's loader; inside a lab
 * bundle (this module is then an .mjs chunk in .lab/) the bundled world-process.mjs sits beside
 * it and plain node runs it, so `world` and `checks` work even where no runtime set
 * CLOUDPETS_WORLD_ENTRY (a shell that skipped the lab's bashrc).
 */
function worldCommand(): { command: string; args: string[] } {
  const bundled = import.meta.url.endsWith('.mjs');
  const entry = process.env.CLOUDPETS_WORLD_ENTRY ?? fileURLToPath(new URL(bundled ? './world-process.mjs' : './world-process.ts', import.meta.url));
  if (!entry.endsWith('.ts')) return { command: process.execPath, args: [entry] };
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return { command: process.execPath, args: ['--import', pathToFileURL(tsx).href, entry] };
}

export async function startLabWorld(labDir: string, options: StartOptions = {}): Promise<StartResult> {
  const dir = resolve(labDir);
  const running = labWorldStatus(dir);
  if (running?.status === 'ready') return { ok: true, info: running };
  if (running) await stopLabWorld(dir);

  mkdirSync(labStateDir(dir), { recursive: true });
  rmSync(worldInfoPath(dir), { force: true });
  const log = openSync(worldLogPath(dir), 'a');
  const { command, args } = worldCommand();
  const env = { ...process.env, NODE_OPTIONS: '' };
  let child: ChildProcess;
  try {
    child = spawn(command, [...args, dir], { cwd: dir, detached: true, stdio: ['ignore', log, log], env });
  } catch {
    // Runtimes without file-descriptor stdio or process groups (WebContainer may be one):
    // the world still reports through .lab/world.json, only its log output is lost.
    child = spawn(command, [...args, dir], { cwd: dir, stdio: 'ignore', env });
  } finally {
    closeSync(log);
  }
  let exitCode: number | null = null;
  child.on('exit', (code) => (exitCode = code ?? 1));
  child.on('error', () => (exitCode = 127));
  child.unref();

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    const info = readWorldInfo(dir);
    if (info && info.pid === child.pid && info.status === 'ready') return { ok: true, info };
    if (info && info.pid === child.pid && info.status === 'failed') return { ok: false, error: info.error ?? 'the world failed to start', info };
    if (exitCode !== null) {
      return { ok: false, error: `the world process exited (code ${exitCode}) before it was ready: ${lastLogLines(dir)}` };
    }
    await sleep(50);
  }
  if (child.pid) killTree(child.pid, 'SIGKILL');
  return { ok: false, error: `the world did not become ready within ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s: ${lastLogLines(dir)}` };
}

function lastLogLines(dir: string): string {
  try {
    const lines = readFileSync(worldLogPath(dir), 'utf8').trim().split('\n');
    return lines.slice(-3).join(' | ') || '(no output)';
  } catch {
    return '(no output)';
  }
}

function killTree(pid: number, signal: NodeJS.Signals): void {
  try {
    // Detached: the world leads its own process group, so this reaches anything it spawned.
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export async function stopLabWorld(labDir: string, options: { timeoutMs?: number } = {}): Promise<boolean> {
  const dir = resolve(labDir);
  const pid = readPid(dir);
  if (pid === undefined || !isProcessAlive(pid)) {
    rmSync(worldPidPath(dir), { force: true });
    return false;
  }
  killTree(pid, 'SIGTERM');
  const deadline = Date.now() + (options.timeoutMs ?? 6000);
  while (isProcessAlive(pid) && Date.now() < deadline) await sleep(25);
  if (isProcessAlive(pid)) killTree(pid, 'SIGKILL');
  while (isProcessAlive(pid)) await sleep(25);
  rmSync(worldPidPath(dir), { force: true });
  return true;
}

export async function restartLabWorld(labDir: string, options: StartOptions = {}): Promise<StartResult> {
  await stopLabWorld(labDir);
  return startLabWorld(labDir, options);
}
