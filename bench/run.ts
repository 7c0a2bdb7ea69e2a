/**
 * `npm run bench`: runs every bench/*.ts module's exported run() in turn; each prints its own
 * figures. Benchmarks print numbers, they never pass or fail on time.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { readCommandLine, type ProgramSpec } from '../sandboxes/command-line/read-command-line.ts';

const here = dirname(fileURLToPath(import.meta.url));
const benchFiles = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .sort();

const BENCH: ProgramSpec = {
  name: 'bench',
  helpCommand: 'npm run bench -- --help',
  usage: `usage: npm run bench [-- <name>...]

Runs every benchmark, or those whose file name starts with a given name, and prints figures.
Benchmarks: ${benchFiles.map((f) => f.replace(/\.ts$/, '')).join(', ')}.
Environment: BENCH_ACCOUNTS (database size), BENCH_DB_WORKER=1 (database in a worker thread),
WORLD_BENCH_FULL_SEED=1 (also seed a full-size world), BENCH_CLASS_SIZE (grade),
BENCH_LAB_RUNS (lab), BENCH_LAB_SHELL_RUNS (lab-shell).

  -h, --help    show this help`,
  positionals: ['[name...]'],
};

async function runBenchmarks(only: string[]): Promise<void> {
  for (const file of benchFiles.filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))) {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { run?: () => Promise<void> };
    if (typeof mod.run !== 'function') {
      console.log(`bench/${file}: no run() export, skipped`);
      continue;
    }
    console.log(`\n== bench/${file}`);
    await mod.run();
  }
}

const read = readCommandLine(BENCH, process.argv.slice(2), ({ positionals }) => positionals);
if (read.ok) await runBenchmarks(read.value);
else process.exitCode = read.exitCode;
