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

const USAGE = `Usage: npm run world -- [--lab DIR] [--seed N] [--users N]

Starts CloudPets' database, recordings bucket and app API (2016 state) on loopback ports and
prints one line of JSON with their addresses. Stop it with Ctrl+C.

  --lab DIR    lab folder to use (created and filled with the starting files if empty or
               missing); default: a fresh temporary folder, removed when the world stops
  --seed N     dataset seed for the first start of a lab folder (default 2016)
  --users N    number of fake users for the first start (default 2000; full size 821396)
  --help       show this help
`;

class UsageError extends Error {}

function parseArgs(argv: string[]): { lab?: string; seed?: number; users?: number } {
  const out: { lab?: string; seed?: number; users?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
      return v;
    };
    const integer = (): number => {
      const v = value();
      if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a whole number (got "${v}")`);
      return Number(v);
    };
    switch (name) {
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      case '--lab':
        out.lab = value();
        break;
      case '--seed':
        out.seed = integer();
        break;
      case '--users':
        out.users = integer();
        break;
      default:
        throw new UsageError(`unknown option "${arg}"`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`world: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const labDir = args.lab ? resolve(args.lab) : mkdtempSync(join(tmpdir(), 'cloudpets-lab-'));
  // A temporary lab is ours to remove when the world stops; pass --lab to keep one.
  const removeOnExit = !args.lab;
  if (!existsSync(labDir) || readdirSync(labDir).length === 0) initLabFolder(labDir);

  let world: RunningWorld;
  try {
    world = await startWorld({ labDir, seed: args.seed, users: args.users });
  } catch (error) {
    process.stderr.write(`world: could not start: ${(error as Error).message}\n`);
    if (removeOnExit) rmSync(labDir, { recursive: true, force: true });
    process.exit(1);
  }
  for (const warning of world.warnings) process.stderr.write(`world: warning: ${warning}\n`);
  process.stdout.write(JSON.stringify(world.addresses) + '\n');

  let stopping = false;
  const stop = (signal: string): void => {
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
}

void main();
