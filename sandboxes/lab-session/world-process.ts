/**
 * The process that holds a lab's world: `node world-process.mjs <labDir>`, always a child of
 * the lab shell (or of `npm run checks`). It reports on its stdout (world-report.ts: starting,
 * then ready or failed with the world's own error text), mirrors that in `.lab/world.json` for
 * the checks, and stops when its parent says "stop" on stdin or goes away (stdin ends), so a
 * world never outlives the shell that started it.
 *
 * `node world-process.mjs <labDir> --standby` is a world held ready for the next restart
 * (lab-world.ts): it loads the world's code at once, then waits for "start" on its stdin
 * before it reads the lab's files, reports or opens a port. A restart then costs the world's
 * start alone, not also a Node start and the loading of the world's code (most of the time).
 */
import { writeFileSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunningWorld } from '../world/index.ts';
import { worldInfoPath, type LabInfo, type WorldInfo } from '../lab-folder/paths.ts';
import { readLabInfo } from '../lab-folder/lab-info.ts';
import { formatWorldReport } from './world-report.ts';
import { readCommandLine, type ProgramSpec } from '../command-line/read-command-line.ts';

const WORLD_PROCESS: ProgramSpec = {
  name: 'world-process',
  helpCommand: 'node .lab/world-process.mjs --help',
  usage: `usage: node .lab/world-process.mjs [labDir] [--standby]

Runs the lab's world (labDir: the lab folder, default the current folder), reports on stdout,
and stops on "stop" on stdin or when stdin ends. The lab shell starts it; you need not.

  --standby     load the world's code, then wait for "start" on stdin before starting it
  -h, --help    show this help`,
  options: { standby: { type: 'boolean' } },
  positionals: ['[labDir]'],
};

const read = readCommandLine(WORLD_PROCESS, process.argv.slice(2), ({ values, positionals }) => ({ labDir: resolve(positionals[0] ?? process.cwd()), standby: values.standby === true }));
const labDir = read.ok ? read.value.labDir : '';
const standby = read.ok && read.value.standby;
let startedAt = new Date().toISOString();

function report(info: Omit<WorldInfo, 'pid' | 'labDir' | 'startedAt'>): void {
  const full: WorldInfo = { pid: process.pid, labDir, startedAt, ...info };
  const path = worldInfoPath(labDir);
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(full, null, 2) + '\n');
    renameSync(temp, path);
  } catch {
    // The file is a convenience for readers; the report line below is what counts.
  }
  process.stdout.write(formatWorldReport(full));
}

function labInfoOrNothing(): LabInfo | undefined {
  try {
    return readLabInfo(labDir);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    // A SyntaxError from loading api/app.js carries "file:line" in the first stack line only.
    const location = error.name === 'SyntaxError' && error.stack ? error.stack.split('\n')[0] : '';
    // The database's ConfigError speaks of "the YAML config file": name it as the learner knows it.
    const prefix = error.name === 'ConfigError' && !/mongod\.conf/.test(error.message) ? 'mongod.conf: ' : '';
    const message = `${prefix}${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
    return location && !message.includes(location) ? `${message} (${location})` : message;
  }
  return String(error);
}

async function main(): Promise<void> {
  let world: RunningWorld | undefined;
  let stopping = false;
  let started = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const hardStop = setTimeout(() => process.exit(0), 5000);
    hardStop.unref();
    try {
      await world?.close();
    } catch {
      // Closing is best effort: the process is going away either way.
    }
    // A standby world that never started has nothing to report (another world's file is there).
    if (!standby || started) report({ status: 'stopped' });
    process.exit(0);
  };
  // The world's code starts loading now; a standby world waits for its turn with it loaded.
  const worldModule = import('../world/index.ts');
  worldModule.catch(() => undefined);
  let go: () => void = () => undefined;
  const told = standby ? new Promise<void>((resolveGo) => (go = resolveGo)) : Promise.resolve();
  // The parent's word: "start" (a standby world), "stop" on stdin, or stdin closing because
  // the parent went away.
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text: string) => {
    if (text.includes('stop')) void stop();
    else if (text.includes('start')) go();
  });
  process.stdin.on('end', () => void stop());
  process.stdin.on('error', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());

  await told;
  if (stopping) return;
  started = true;
  startedAt = new Date().toISOString();
  report({ status: 'starting' });
  try {
    const { startWorld } = await worldModule;
    const info = labInfoOrNothing();
    // The learner seed (lab.json "seed") decides which world this is; world.seed is the older spelling.
    const options = { ...(info?.world ?? {}), ...(info?.seed !== undefined ? { seed: info.seed } : {}) };
    world = await startWorld({ labDir, ...options });
  } catch (error) {
    report({ status: 'failed', error: describe(error) });
    process.exit(1);
  }
  if (stopping) return;
  report({ status: 'ready', readyAt: new Date().toISOString(), network: '.lab/network.json', services: summarise(world) });
}

/** The JSON-friendly facts about the running world that runtimes and checks use. */
function summarise(world: RunningWorld): Record<string, unknown> {
  return {
    addresses: world.addresses,
    warnings: world.warnings,
    seeded: world.seeded,
    db: { uri: world.db.uri, logPath: world.db.logPath, listeners: world.db.listeners },
    bucket: { url: world.bucket.url, name: world.bucket.name },
    api: { url: world.api.url, loadError: world.api.loadError?.message },
  };
}

// A usage error or --help has been answered: end without starting a world.
if (read.ok) void main();
else process.exitCode = read.exitCode;
