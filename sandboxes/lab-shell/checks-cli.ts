/**
 * `npm run checks -- <lab> [--solution] [--json] [--keep] [--users N] [--seed N]`: a lab's checks
 * against a fresh world in a temporary folder, from the starting files or with the reference
 * solution (solution.sh typed into a lab shell, then the solution files; ./fresh-lab.ts). Exit 0
 * only when every check passes, 1 when one fails, 2 for bad arguments. It names a lab by its id,
 * so it lives above the lab registry, beside the lab host it runs the lab in.
 */
import { formatReport, formatResult } from '../checks/report.ts';
import { LAB_IDS, labNamed, seedOption } from '../labs/lab-arguments.ts';
import { MAX_SEED } from '../world/dataset/seed.ts';
import { flag, integerOption } from '../command-line/arguments.ts';
import { readCommandLine, type ProgramSpec } from '../command-line/read-command-line.ts';
import { runProgram } from '../command-line/run-program.ts';

const NAME = 'checks';

const CHECKS: ProgramSpec = {
  name: NAME,
  // Not `checks --help`: inside a lab folder `checks` is the lab shell's own command.
  helpCommand: 'npm run checks -- --help',
  usage: `usage: npm run checks -- <lab> [--solution] [--json] [--keep] [--users N] [--seed N]

Runs a lab's checks against a fresh world in a temporary folder: on the starting files, or with
the reference solution applied. Exit 0 when every check passes, 1 when one fails, 2 for bad
arguments.

  <lab>        one of: ${LAB_IDS.join(', ')}
  --solution   type the lab's solution.sh into a lab shell and copy its solution files first
  --json       print the CheckReport as JSON on stdout instead of the readable report
  --keep       keep the lab folder afterwards (its path goes to stderr)
  --users N    number of fake users in the world (default: the world's default)
  --seed N     learner seed, a whole number from 0 to ${MAX_SEED} (default 2016)
  -h, --help   show this help`,
  options: {
    solution: { type: 'boolean' },
    json: { type: 'boolean' },
    keep: { type: 'boolean' },
    users: { type: 'string' },
    seed: { type: 'string' },
  },
  positionals: ['<lab>'],
};

async function main(argv: string[]): Promise<number> {
  const read = readCommandLine(CHECKS, argv, ({ values, positionals }) => {
    const labId = labNamed(NAME, positionals[0]!).meta.id;
    const seed = seedOption(NAME, values);
    return { labId, seed, users: integerOption(NAME, values, 'users', 1), solution: flag(values, 'solution'), json: flag(values, 'json'), keep: flag(values, 'keep') };
  });
  if (!read.ok) return read.exitCode;
  const { labId, seed, users, solution, json, keep } = read.value;
  // Loaded once the arguments are right: the lab host brings in the world and the lab shell,
  // which --help and a mistyped flag should not wait for.
  const { freshLab } = await import('./fresh-lab.ts');
  const lab = await freshLab(labId, { solution, keep, seed, world: users ? { users } : undefined });
  try {
    const report = await lab.checks({ onResult: json ? undefined : (r) => process.stderr.write(`${formatResult(r, process.stderr.isTTY)}\n`) });
    process.stdout.write(json ? JSON.stringify(report, null, 2) + '\n' : `\n${formatReport(report, process.stdout.isTTY)}`);
    if (keep) process.stderr.write(`lab folder kept at ${lab.dir}\n`);
    return report.passed ? 0 : 1;
  } finally {
    await lab.dispose();
  }
}

runProgram(main);
