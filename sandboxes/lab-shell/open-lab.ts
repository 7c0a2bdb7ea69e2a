/**
 * `npm run lab -- <lab> [--dir DIR] [--users N] [--seed N]`: the lab shell on this terminal,
 * run from the sources, so a contributor can try a new tool, database command or lab as a
 * learner meets it without building the site (`npm start` runs the built bundle instead).
 * It makes a lab folder from the lab's starting files (or reopens DIR), then runs the same
 * lab shell as `node .lab/lab-shell.mjs` there: the world starts as its child, `help` lists the
 * tools, `checks` runs the lab's checks. The folder is kept, for reopening with --dir.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { flag, integerOption, parseCommandLine, stringOption, UsageError } from '../command-line/arguments.ts';
import { createLabFolder } from '../lab-folder/assemble.ts';
import { labInfoPath, type LabInfo } from '../lab-folder/paths.ts';
import { LABS, findLab } from '../labs/registry.ts';

const HELP = `Usage: npm run lab -- <lab> [--dir DIR] [--users N] [--seed N]
Open a lab's shell on this terminal, from the sources: a fresh lab folder (in a temporary
folder, or DIR), its world started behind the prompt. Type help, then exit (or Ctrl+D) to
stop the world. The folder is kept: reopen it with --dir.

Options:
  --dir DIR     the lab folder: created if missing or empty, reopened if it holds this lab
  --users N     accounts in the world (default: the full world; 150 starts faster)
  --seed N      the learner seed the world is built from
  -h, --help    this help

Labs: ${LABS.map((lab) => lab.meta.id).join(', ')}

Exit codes: the lab shell's (0 after exit); 2 bad arguments or a folder that holds something else.`;

function prepareFolder(argv: string[]): string {
  const { values, positionals } = parseCommandLine('lab', argv, {
    dir: { type: 'string' },
    users: { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flag(values, 'help')) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  if (positionals.length !== 1) throw new UsageError(`lab: name one lab (${LABS.map((lab) => lab.meta.id).join(', ')})\nTry 'npm run lab -- --help' for more.`);
  const labId = positionals[0]!;
  if (!findLab(labId)) throw new UsageError(`lab: no lab called "${labId}"; the labs are ${LABS.map((lab) => lab.meta.id).join(', ')}`);
  const users = integerOption('lab', values, 'users', 1);
  const seed = integerOption('lab', values, 'seed', 0);
  const given = stringOption(values, 'dir');
  const dir = given ? resolve(given) : join(mkdtempSync(join(tmpdir(), 'cloudpets-lab-')), labId);
  if (existsSync(labInfoPath(dir))) {
    const info = JSON.parse(readFileSync(labInfoPath(dir), 'utf8')) as LabInfo;
    if (info.id !== labId) throw new UsageError(`lab: ${dir} holds the lab "${info.id}", not "${labId}"; pick another --dir`);
    process.stderr.write(`Reopening the lab folder ${dir}\n`);
  } else {
    if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`lab: ${dir} is not empty and holds no lab; pick an empty or new --dir`);
    createLabFolder(labId, dir, { world: users ? { users } : undefined, seed });
    process.stderr.write(`Lab folder: ${dir} (kept after exit; reopen it with --dir, delete it when done)\n`);
  }
  return dir;
}

try {
  process.env.CLOUDPETS_LAB_DIR = prepareFolder(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
// The lab shell itself, as the bundle's lab-shell.mjs runs it (it reads CLOUDPETS_LAB_DIR).
await import('./start.ts');
