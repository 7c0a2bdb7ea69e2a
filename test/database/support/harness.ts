import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDatabase, type DatabaseNetwork, type RunningDatabase } from '../../../sandboxes/database/index.ts';

export const repoRoot = new URL('../../../', import.meta.url).pathname;

/** A scratch folder removed by the returned cleanup. */
export function scratchDir(prefix = 'lab-db-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface LabDatabase {
  db: RunningDatabase;
  dir: string;
  configPath: string;
  /** Stops and starts the server again on the same files (a new port). */
  restart(configText?: string): Promise<RunningDatabase>;
  logLines(): Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Starts our server from a mongod.conf written into a scratch folder (data + log inside it). */
export async function startLabDatabase(options: { auth?: boolean; extraConfig?: string; network?: DatabaseNetwork } = {}): Promise<LabDatabase> {
  const { dir, cleanup } = scratchDir();
  const configPath = join(dir, 'mongod.conf');
  const configText = (auth: boolean) =>
    [
      'net:',
      '  port: 27017',
      '  bindIp: 127.0.0.1',
      'storage:',
      '  dbPath: ./data',
      'systemLog:',
      '  destination: file',
      '  path: ./mongod.log',
      '  logAppend: true',
      'security:',
      `  authorization: ${auth ? 'enabled' : 'disabled'}`,
      options.extraConfig ?? '',
    ].join('\n');
  writeFileSync(configPath, configText(options.auth ?? false));
  let db = await startDatabase({ configPath, portOverride: 0, network: options.network });
  const lab: LabDatabase = {
    get db() {
      return db;
    },
    dir,
    configPath,
    async restart(text?: string) {
      await db.close();
      if (text !== undefined) writeFileSync(configPath, text);
      db = await startDatabase({ configPath, portOverride: 0, network: options.network });
      return db;
    },
    logLines() {
      return db.log.recent().map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    async stop() {
      await db.close();
      cleanup();
    },
  };
  return lab;
}

export interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real mongosh CLI (a devDependency) with a script file. mongosh starts slowly, so
 * tests batch several checks into one script and print JSON lines to assert on.
 */
export function mongosh(uri: string, script: string, extraArgs: string[] = []): Promise<ShellResult> {
  const { dir, cleanup } = scratchDir('mongosh-');
  const file = join(dir, 'script.js');
  writeFileSync(file, script);
  return new Promise((resolve) => {
    execFile(
      join(repoRoot, 'node_modules/.bin/mongosh'),
      [uri, '--quiet', '--norc', ...extraArgs, '--file', file],
      { timeout: 90_000, env: { ...process.env, MONGOSH_NO_TELEMETRY: '1', HOME: dir }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        cleanup();
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Lines of a mongosh run that are JSON objects (scripts print results with JSON.stringify / EJSON). */
export function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Types lines into mongosh's prompt (stdin), the way a learner does: `show dbs`, `use shop`... */
export function mongoshTyped(uri: string, lines: string[], extraArgs: string[] = []): Promise<ShellResult> {
  const { dir, cleanup } = scratchDir('mongosh-');
  return new Promise((resolve) => {
    const child = execFile(
      join(repoRoot, 'node_modules/.bin/mongosh'),
      [uri, '--quiet', '--norc', ...extraArgs],
      { timeout: 90_000, env: { ...process.env, MONGOSH_NO_TELEMETRY: '1', HOME: dir }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        cleanup();
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
    child.stdin!.end(`${lines.join('\n')}\n`);
  });
}
