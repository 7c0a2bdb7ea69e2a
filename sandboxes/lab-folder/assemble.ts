/**
 * Makes a lab folder from a lab's starting files (what `npm run checks` and the tests use;
 * the runtimes mount the bundled equivalent), and applies a lab's reference solution: the
 * commands of solution.sh run for real against the running world, then the solution files.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { labInfoPath, type LabInfo } from './paths.ts';
import { findLab } from '../checks/registry.ts';

const LABS_ROOT = fileURLToPath(new URL('../labs/', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const labSourceDir = (labId: string): string => join(LABS_ROOT, labId);

/** The learner's commands, as the lab shell has them on PATH (source file of each under the repo). */
export const LAB_COMMANDS: Record<string, string> = {
  scan: 'sandboxes/tools/scan/cli.ts',
  mongosh: 'sandboxes/tools/mongosh/cli.ts',
  curl: 'sandboxes/tools/curl/cli.ts',
  mongoexport: 'sandboxes/tools/mongoexport/cli.ts',
  crack: 'sandboxes/tools/crack/cli.ts',
  'ransom-bot': 'sandboxes/tools/ransom-bot/cli.ts',
  world: 'sandboxes/lab-session/cli.ts',
  checks: 'sandboxes/checks/lab-cli.ts',
};

export interface CreateOptions {
  world?: LabInfo['world'];
}

export function createLabFolder(labId: string, dir: string, options: CreateOptions = {}): void {
  const lab = findLab(labId);
  if (!lab) throw new Error(`no lab called "${labId}"`);
  const starting = join(labSourceDir(labId), 'starting');
  mkdirSync(join(dir, '.lab'), { recursive: true });
  if (existsSync(starting)) cpSync(starting, dir, { recursive: true });
  const info: LabInfo = { id: labId, title: lab.meta.title, createdAt: new Date().toISOString(), ...(options.world ? { world: options.world } : {}) };
  writeFileSync(labInfoPath(dir), JSON.stringify(info, null, 2) + '\n');
  writeCommandShims(dir);
}

/** `.lab/bin/<command>` wrappers that run the sources with tsx (a bundle ships plain .js instead). */
export function writeCommandShims(dir: string): void {
  const bin = join(dir, '.lab', 'bin');
  mkdirSync(bin, { recursive: true });
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  for (const [name, source] of Object.entries(LAB_COMMANDS)) {
    const path = join(bin, name);
    writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${join(REPO_ROOT, source)}" "$@"\n`);
    chmodSync(path, 0o755);
  }
}

/** The environment of the learner's shell in a lab folder. */
export function labShellEnv(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(dir, '.lab', 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    CLOUDPETS_NETWORK: join(dir, '.lab', 'network.json'),
    NODE_OPTIONS: '',
  };
}

export interface SolutionRun {
  ran: boolean;
  exitCode: number;
  output: string;
}

/** Runs solution.sh (if the lab has one) in the lab folder, as the learner would type it. */
export async function runSolutionScript(labId: string, dir: string, timeoutMs = 120_000): Promise<SolutionRun> {
  const script = join(labSourceDir(labId), 'solution.sh');
  if (!existsSync(script)) return { ran: false, exitCode: 0, output: '' };
  return new Promise((done) => {
    const child = spawn('sh', ['-e', script], { cwd: dir, env: { ...labShellEnv(dir), SOLUTION_DIR: join(labSourceDir(labId), 'solution') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ ran: true, exitCode: code ?? 1, output });
    });
  });
}

/** Copies solution/ over the lab folder (the reference fix's files). */
export function applySolutionFiles(labId: string, dir: string): boolean {
  const files = join(labSourceDir(labId), 'solution');
  if (!existsSync(files)) return false;
  cpSync(files, dir, { recursive: true });
  return true;
}
