/**
 * Every project program moved onto readCommandLine, run as a process the way its users run it:
 * --help prints the usage with a line per option (exit 0); a bad flag, a missing value or a bad
 * argument prints one line saying what to fix and one pointing at --help (exit 2), and starts
 * nothing (no server, no world, no file in the folder it runs in). The tools, `npm run db`,
 * `npm run world` and `npm run checks` have their own tests.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const cwd = mkdtempSync(join(tmpdir(), 'cloudpets-programs-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The program from the sources, in an empty folder; a program that starts something instead of exiting is killed and fails. */
function run(script: string, args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', TSX, join(ROOT, script), ...args], { cwd, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

interface Program {
  script: string;
  help: string;
  /** What --help must list, a line each. */
  optionLines: RegExp[];
  /** argv -> the line saying what to fix. */
  bad: [string[], string][];
}

const PROGRAMS: Program[] = [
  {
    script: 'sandboxes/grading/cli.ts',
    help: 'npm run grade -- --help',
    optionLines: [/^ {2}--csv FILE +\S/m, /^ {2}--html FILE +\S/m, /^ {2}-h, --help +\S/m],
    bad: [
      [['hand-ins', '--cvs', 'out.csv'], "grade: unknown option '--cvs'"],
      [['hand-ins', '--csv'], "grade: option '--csv' needs a value"],
      [[], 'grade: missing <archive or folder>'],
    ],
  },
  {
    script: 'sandboxes/database/cli.ts',
    help: 'npm run db -- --help',
    optionLines: [/^ {2}-f, --config FILE +\S/m, /^ {2}--port N +\S/m, /^ {2}-h, --help +\S/m],
    bad: [
      [['--conf', 'mongod.conf'], "db: unknown option '--conf'"],
      [['--port', 'x'], 'Error parsing option "--port": "x" is not a port number (0-65535; 0 picks a free port)'],
      [['mongod.conf'], "db: unexpected argument 'mongod.conf'"],
    ],
  },
  {
    script: 'sandboxes/world/cli.ts',
    help: 'npm run world -- --help',
    optionLines: [/^ {2}--lab DIR +\S/m, /^ {2}--seed N +\S/m, /^ {2}--users N +\S/m, /^ {2}-h, --help +\S/m],
    bad: [
      [['--user', '10'], "world: unknown option '--user'"],
      [['--users', 'many'], "world: --users must be a whole number >= 1, got 'many'"],
    ],
  },
  {
    script: 'src/classroom/cli.ts',
    help: 'npm run classroom -- --help',
    optionLines: ['data DIR', 'port N', 'host ADDR', 'url URL', 'course URL', 'workers N', 'new-class NAME', 'help'].map((option) => new RegExp(`^ {2}(-h, )?--${option} +\\S`, 'm')),
    bad: [
      [['--prot', '4400'], "classroom: unknown option '--prot'"],
      [['--data'], "classroom: option '--data' needs a value"],
      [['--port', 'x'], 'classroom: --port needs a whole number from 0 to 65535'],
      [['--course', 'classroom.example'], 'classroom: "classroom.example" is not a URL (write it as http://host:port)'],
    ],
  },
  {
    script: 'sandboxes/lab-session/lab-control.ts',
    help: 'node .lab/lab-control.mjs --help',
    optionLines: [/^ {2}status +\S/m, /^ {2}restart-world +\S/m, /^ {2}run-checks +\S/m, /^ {2}follow-reports +\S/m, /^ {2}--timeout SECONDS +\S/m, /^ {2}-h, --help +\S/m],
    bad: [
      [['status', '--wait'], "lab-control: unknown option '--wait'"],
      [['run-checks', '--timeout'], "lab-control: option '--timeout' needs a value"],
      [['run-checks', '--timeout', 'soon'], "lab-control: --timeout must be a number of seconds above 0, got 'soon'"],
      [['stats'], "lab-control: unknown operation 'stats'; choose one of status, restart-world, run-checks, follow-reports"],
      [[], 'lab-control: name an operation: status, restart-world, run-checks, follow-reports'],
      [['status', 'now'], "lab-control: unexpected argument 'now'"],
    ],
  },
  {
    script: 'sandboxes/lab-session/world-process.ts',
    help: 'node .lab/world-process.mjs --help',
    optionLines: [/^ {2}-h, --help +\S/m],
    bad: [
      [['--lab', '.'], "world-process: unknown option '--lab'"],
      [['.', 'other'], "world-process: unexpected argument 'other'"],
    ],
  },
  {
    script: 'src/server/start.ts',
    help: 'npm start -- --help',
    optionLines: [/^ {2}PORT=N +\S/m, /^ {2}HOST=ADDR +\S/m, /^ {2}CLOUDPETS_SKIP_BUILD=1 +\S/m, /^ {2}CLOUDPETS_CLASSROOM_ORIGIN=URL$/m, /^ {2}-h, --help +\S/m],
    // PORT is an environment variable: a --port flag must not be silently ignored.
    bad: [[['--port', '4000'], "npm start: unknown option '--port'"]],
  },
  {
    script: 'sandboxes/labs/build-solution-apps.ts',
    help: 'npx tsx sandboxes/labs/build-solution-apps.ts --help',
    optionLines: [/^ {2}-h, --help +\S/m],
    bad: [[['--check'], "build-solution-apps: unknown option '--check'"]],
  },
  {
    script: 'bench/run.ts',
    help: 'npm run bench -- --help',
    optionLines: [/^Benchmarks: .*\bdatabase\b.*\bworld\b/m, /^ {2}-h, --help +\S/m],
    bad: [[['--only', 'world'], "bench: unknown option '--only'"]],
  },
  {
    script: 'bench/world.ts',
    help: 'npx tsx bench/world.ts --help',
    optionLines: [/^ {2}-h, --help +\S/m],
    bad: [[['--full'], "bench-world: unknown option '--full'"]],
  },
  {
    script: 'bench/database.ts',
    help: 'npx tsx bench/database.ts --help',
    optionLines: [/^ {2}-h, --help +\S/m],
    bad: [[['--accounts', '10'], "bench-database: unknown option '--accounts'"]],
  },
  {
    script: 'src/build/after-astro.ts',
    help: 'node --import tsx src/build/after-astro.ts --help',
    optionLines: [/^usage: .*<projectDir> <distDir> \[startedAtMs\]$/m, /^ {2}-h, --help +\S/m],
    bad: [
      [['--dist', 'dist'], "after-astro: unknown option '--dist'"],
      [[cwd], 'after-astro: missing <distDir>'],
    ],
  },
];

describe('project programs share one command line', () => {
  it.each(PROGRAMS)('$script: --help, and bad arguments exit 2 saying what to fix, starting nothing', async (program) => {
    // One at a time: the machine running the suite is busy enough.
    const help = await run(program.script, ['--help']);
    const bad: Run[] = [];
    for (const [args] of program.bad) bad.push(await run(program.script, args));
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: /);
    for (const line of program.optionLines) expect(help.stdout).toMatch(line);

    for (const [index, [args, message]] of program.bad.entries()) {
      const result = bad[index]!;
      expect({ args, code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
        args,
        code: 2,
        stdout: '',
        stderr: `${message}\nTry '${program.help}' for the list of options.\n`,
      });
    }
    expect(readdirSync(cwd)).toEqual([]);
  }, 180_000);
});
