/**
 * `npm run checks -- <lab> [--solution] [--json] [--keep] [--users N] [--seed N]`: a lab's checks against a
 * fresh world in a temporary folder, from the starting files or with the reference solution
 * (solution.sh run for real, then the solution files). Exit 0 only when every check passes.
 */
import { freshLab } from './fresh-lab.ts';
import { formatReport, formatResult } from '../checks/report.ts';
import { LABS } from '../labs/registry.ts';

const USAGE = `usage: npm run checks -- <lab> [--solution] [--json] [--keep] [--users N] [--seed N]
labs: ${LABS.map((lab) => lab.meta.id).join(', ')}`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const flags = new Set(['--solution', '--json', '--keep']);
  let users: number | undefined;
  let seed: number | undefined;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--users') {
      users = Number(argv[++i]);
      if (!Number.isInteger(users) || users < 1) {
        process.stderr.write(`--users needs a positive whole number\n${USAGE}\n`);
        return 2;
      }
    } else if (arg === '--seed') {
      seed = Number(argv[++i]);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
        process.stderr.write(`--seed needs a whole number from 0 to 4294967295 (a learner seed)\n${USAGE}\n`);
        return 2;
      }
    } else if (flags.has(arg)) continue;
    else if (arg.startsWith('-')) {
      process.stderr.write(`unknown option ${arg}\n${USAGE}\n`);
      return 2;
    } else positional.push(arg);
  }
  if (positional.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const labId = positional[0]!;
  if (!LABS.some((lab) => lab.meta.id === labId)) {
    process.stderr.write(`no lab called "${labId}"\n${USAGE}\n`);
    return 2;
  }
  const json = argv.includes('--json');
  const keep = argv.includes('--keep');
  const lab = await freshLab(labId, { solution: argv.includes('--solution'), keep, seed, world: users ? { users } : undefined });
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
