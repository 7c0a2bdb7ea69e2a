/**
 * The background process that holds a lab's world: `node world-process.ts <labDir>`.
 * lab-session spawns it detached; it reports through `.lab/world.json` (status ready or
 * failed, with the world's own error text) and stops cleanly on SIGTERM/SIGINT.
 */
import { existsSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunningWorld } from '../world/index.ts';
import { labInfoPath, worldInfoPath, worldPidPath, type LabInfo, type WorldInfo } from '../lab-folder/paths.ts';

const labDir = resolve(process.argv[2] ?? process.cwd());
const startedAt = new Date().toISOString();

function writeInfo(info: Omit<WorldInfo, 'pid' | 'labDir' | 'startedAt'>): void {
  const path = worldInfoPath(labDir);
  const full: WorldInfo = { pid: process.pid, labDir, startedAt, ...info };
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(full, null, 2) + '\n');
  renameSync(temp, path);
}

function readLabInfo(): LabInfo | undefined {
  try {
    return JSON.parse(readFileSync(labInfoPath(labDir), 'utf8')) as LabInfo;
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
  writeFileSync(worldPidPath(labDir), `${process.pid}\n`);
  writeInfo({ status: 'starting' });
  let world: RunningWorld;
  try {
    const { startWorld } = await import('../world/index.ts');
    const options = readLabInfo()?.world ?? {};
    world = await startWorld({ labDir, ...options });
  } catch (error) {
    writeInfo({ status: 'failed', error: describe(error) });
    rmSync(worldPidPath(labDir), { force: true });
    process.exit(1);
  }
  writeInfo({ status: 'ready', readyAt: new Date().toISOString(), network: '.lab/network.json', services: summarise(world) });

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const hardStop = setTimeout(() => process.exit(0), 5000);
    hardStop.unref();
    try {
      await world.close();
    } catch {
      // Closing is best effort: the process is going away either way.
    }
    writeInfo({ status: 'stopped' });
    if (existsSync(worldPidPath(labDir))) rmSync(worldPidPath(labDir), { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
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

void main();
