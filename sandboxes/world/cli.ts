/**
 * `npm run world [-- --lab DIR] [--seed N] [--users N]`
 *
 * Starts the whole CloudPets world in a lab folder (a fresh temporary one, initialised with
 * the 2016 starting files, when --lab is not given), prints ONE line of JSON with the real
 * addresses once every service is ready, and stops cleanly on SIGTERM or Ctrl+C.
 * Everything else (warnings, errors) goes to stderr so stdout stays machine-readable.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type RunningWorld, initLabFolder, startWorld } from './index.ts';
import { integerOption, stringOption } from '../command-line/arguments.ts';
import { readCommandLine, type ProgramSpec } from '../command-line/read-command-line.ts';

const WORLD: ProgramSpec = {
  name: 'world',
  helpCommand: 'npm run world -- --help',
  usage: `usage: npm run world -- [--lab DIR] [--seed N] [--users N]

Starts CloudPets' database, recordings bucket and app API (2016 state) on loopback ports and
prints one line of JSON with their addresses. Stop it with Ctrl+C.

  --lab DIR    lab folder to use (created and filled with the starting files if empty or
               missing); default: a fresh temporary folder, removed when the world stops
  --seed N     dataset seed for the first start of a lab folder (default 2016)
  --users N    number of fake users for the first start (default 2000; full size 821396)
  -h, --help   show this help
`,
  options: { lab: { type: 'string' }, seed: { type: 'string' }, users: { type: 'string' } },
};

async function main(): Promise<void> {
  const read = readCommandLine(WORLD, process.argv.slice(2), ({ values }) => ({
    lab: stringOption(values, 'lab'),
    seed: integerOption('world', values, 'seed'),
    users: integerOption('world', values, 'users', 1),
  }));
  if (!read.ok) process.exit(read.exitCode);
  const args = read.value;
  const labDir = args.lab ? resolve(args.lab) : mkdtempSync(join(tmpdir(), 'cloudpets-lab-'));
  // A temporary lab is ours to remove when the world stops; pass --lab to keep one.
  const removeOnExit = !args.lab;
  if (!existsSync(labDir) || readdirSync(labDir).length === 0) initLabFolder(labDir);

  // Signal handlers first, before the (slow) start: a Ctrl+C during start-up must still stop
  // cleanly and remove a temporary lab, and tsx (which runs this file) only relays a signal to a
  // process that already listens for it; otherwise it ends the process itself with code 130.
  let world: RunningWorld | undefined;
  let stopRequested: string | undefined;
  let stopping = false;
  const stop = (signal: string): void => {
    if (!world) {
      stopRequested = signal;
      return;
    }
    if (stopping) return;
    stopping = true;
    process.stderr.write(`world: ${signal}, stopping\n`);
    world.close().then(
      () => {
        if (removeOnExit) rmSync(labDir, { recursive: true, force: true });
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`world: error while stopping: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  try {
    world = await startWorld({ labDir, seed: args.seed, users: args.users });
  } catch (error) {
    process.stderr.write(`world: could not start: ${(error as Error).message}\n`);
    if (removeOnExit) rmSync(labDir, { recursive: true, force: true });
    process.exit(1);
  }
  for (const warning of world.warnings) process.stderr.write(`world: warning: ${warning}\n`);
  process.stdout.write(JSON.stringify(world.addresses) + '\n');
  if (stopRequested) stop(stopRequested);
}

void main();
