/**
 * `npm run checks -- <lab> [--solution] [--json] [--keep] [--users N] [--seed N]`: a lab's checks
 * against a fresh world in a temporary folder, from the starting files or with the reference
 * solution (solution.sh typed into a lab shell, then the solution files; ./fresh-lab.ts). Exit 0
 * only when every check passes, 1 when one fails, 2 for bad arguments. It names a lab by its id,
 * so it lives above the lab registry, beside the lab host it runs the lab in.
 */
import { freshLab } from './fresh-lab.ts';
import { formatReport, formatResult } from '../checks/report.ts';
import { findLab, LABS } from '../labs/registry.ts';
import { flag, integerOption, parseCommandLine, UsageError } from '../command-line/arguments.ts';

const TOOL = 'checks';
const LAB_IDS = LABS.map((lab) => lab.meta.id);
const MAX_SEED = 0xffffffff;

const USAGE = `Usage: npm run checks -- <lab> [--solution] [--json] [--keep] [--users N] [--seed N]

Runs a lab's checks against a fresh world in a temporary folder: on the starting files, or with
the reference solution applied. Exit 0 when every check passes, 1 when one fails, 2 for bad
arguments.

  <lab>        one of: ${LAB_IDS.join(', ')}
  --solution   type the lab's solution.sh into a lab shell and copy its solution files first
  --json       print the CheckReport as JSON on stdout instead of the readable report
  --keep       keep the lab folder afterwards (its path goes to stderr)
  --users N    number of fake users in the world (default: the world's default)
  --seed N     learner seed, a whole number from 0 to ${MAX_SEED} (default 2016)
  -h, --help   show this help
`;

interface ChecksArgs {
  labId: string;
  solution: boolean;
  json: boolean;
  keep: boolean;
  users?: number;
  seed?: number;
}

/** The arguments, or UsageError saying what to fix; undefined when help was asked for. */
function parseChecksArgs(argv: string[]): ChecksArgs | undefined {
  const { values, positionals } = parseCommandLine(TOOL, argv, {
    solution: { type: 'boolean' },
    json: { type: 'boolean' },
    keep: { type: 'boolean' },
    users: { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flag(values, 'help')) return undefined;
  if (positionals.length === 0) throw new UsageError(`${TOOL}: name the lab to check, for example: npm run checks -- ${LAB_IDS[0]}`);
  if (positionals.length > 1) throw new UsageError(`${TOOL}: one lab at a time; got ${positionals.map((p) => `'${p}'`).join(', ')}`);
  const labId = positionals[0]!;
  if (!findLab(labId)) throw new UsageError(`${TOOL}: no lab called "${labId}"; the labs are: ${LAB_IDS.join(', ')}`);
  const users = integerOption(TOOL, values, 'users', 1);
  const seed = integerOption(TOOL, values, 'seed', 0);
  if (seed !== undefined && seed > MAX_SEED) throw new UsageError(`${TOOL}: --seed must be a whole number from 0 to ${MAX_SEED} (a learner seed), got '${seed}'`);
  return { labId, solution: flag(values, 'solution'), json: flag(values, 'json'), keep: flag(values, 'keep'), users, seed };
}

async function main(argv: string[]): Promise<number> {
  let args: ChecksArgs | undefined;
  try {
    args = parseChecksArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // What is wrong, then the usage in its npm form. The helper's second line ("Try 'checks
    // --help'") would point at the lab shell's own `checks`, a different program.
    process.stderr.write(`${error.message.split('\n')[0]}\n\n${USAGE}`);
    return 2;
  }
  if (!args) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { json, keep } = args;
  const lab = await freshLab(args.labId, { solution: args.solution, keep, seed: args.seed, world: args.users ? { users: args.users } : undefined });
  try {
    const report = await lab.checks({ onResult: json ? undefined : (r) => process.stderr.write(`${formatResult(r, process.stderr.isTTY)}\n`) });
    process.stdout.write(json ? JSON.stringify(report, null, 2) + '\n' : `\n${formatReport(report, process.stdout.isTTY)}`);
    if (keep) process.stderr.write(`lab folder kept at ${lab.dir}\n`);
    return report.passed ? 0 : 1;
  } finally {
    await lab.dispose();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
