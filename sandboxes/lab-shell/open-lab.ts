/**
 * `npm run lab -- <lab> [--dir DIR] [--users N] [--seed N]`: the lab shell on this terminal,
 * run from the sources, so a contributor can try a new tool, database command or lab as a
 * learner meets it without building the site (`npm start` runs the built bundle instead).
 * It makes a lab folder from the lab's starting files (or reopens DIR), then runs the same
 * lab shell as `node .lab/lab-shell.mjs` there: the world starts as its child, `help` lists the
 * tools, `checks` runs the lab's checks. The folder is kept, for reopening with --dir.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { integerOption, stringOption, UsageError, type ParsedArgs } from '../command-line/arguments.ts';
import { readCommandLine, type ProgramSpec } from '../command-line/read-command-line.ts';
import { createLabFolder } from '../lab-folder/assemble.ts';
import { labInfoPath } from '../lab-folder/paths.ts';
import { readLabInfo } from '../lab-folder/lab-info.ts';
import { LAB_IDS, labNamed, seedOption } from '../labs/lab-arguments.ts';

const OPEN_LAB: ProgramSpec = {
  name: 'lab',
  helpCommand: 'npm run lab -- --help',
  usage: `Usage: npm run lab -- <lab> [--dir DIR] [--users N] [--seed N]
Open a lab's shell on this terminal, from the sources: a fresh lab folder (in a temporary
folder, or DIR), its world started behind the prompt. Type help, then exit (or Ctrl+D) to
stop the world. The folder is kept: reopen it with --dir.

  <lab>         one of: ${LAB_IDS.join(', ')}
  --dir DIR     the lab folder: created if missing or empty, reopened if it holds this lab
  --users N     accounts in the world (default: the full world; 150 starts faster)
  --seed N      the learner seed the world is built from
  -h, --help    this help

Exit codes: the lab shell's (0 after exit); 2 bad arguments or a folder that holds something else.`,
  options: { dir: { type: 'string' }, users: { type: 'string' }, seed: { type: 'string' } },
  positionals: ['<lab>'],
};

/** The lab folder to open: made from the lab's starting files, or an existing one of this lab. */
function prepareFolder({ values, positionals }: ParsedArgs): string {
  const lab = labNamed('lab', positionals[0]!);
  const labId = lab.meta.id;
  const users = integerOption('lab', values, 'users', 1);
  const seed = seedOption('lab', values);
  const given = stringOption(values, 'dir');
  const dir = given ? resolve(given) : join(mkdtempSync(join(tmpdir(), 'cloudpets-lab-')), labId);
  if (existsSync(labInfoPath(dir))) {
    const info = readLabInfo(dir);
    if (info.id !== labId) throw new UsageError(`lab: ${dir} holds the lab "${info.id}", not "${labId}"; pick another --dir`);
    process.stderr.write(`Reopening the lab folder ${dir}\n`);
  } else {
    if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`lab: ${dir} is not empty and holds no lab; pick an empty or new --dir`);
    createLabFolder(lab.meta, dir, { world: users ? { users } : undefined, seed });
    process.stderr.write(`Lab folder: ${dir} (kept after exit; reopen it with --dir, delete it when done)\n`);
  }
  return dir;
}

const read = readCommandLine(OPEN_LAB, process.argv.slice(2), prepareFolder);
if (!read.ok) process.exit(read.exitCode);
// The lab shell itself, as the bundle's lab-shell.mjs runs it (it reads CLOUDPETS_LAB_DIR).
process.env.CLOUDPETS_LAB_DIR = read.value;
await import('./start.ts');
