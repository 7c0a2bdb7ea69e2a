/**
 * The opening every project program shares (sandboxes/command-line/read-command-line.ts): --help
 * on stdout with exit 0, and every kind of usage error as one line saying what to fix plus the
 * pointer at --help, exit 2, without running the program.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine, stringOption, UsageError } from '../../sandboxes/command-line/arguments.ts';
import { readCommandLine, type ProgramSpec } from '../../sandboxes/command-line/read-command-line.ts';

const HINT = "Try 'npm run demo -- --help' for the list of options.";

function demo(positionals: string[]): ProgramSpec {
  return {
    name: 'demo',
    helpCommand: 'npm run demo -- --help',
    usage: 'usage: npm run demo -- [--out FILE]\n  --out FILE    where to write\n  -h, --help    show this help',
    options: { out: { type: 'string' } },
    positionals,
  };
}

function read(spec: ProgramSpec, argv: string[], interpret: Parameters<typeof readCommandLine>[2] = (args) => args) {
  let stdout = '';
  let stderr = '';
  const result = readCommandLine(spec, argv, interpret, { stdout: { write: (text) => (stdout += text) }, stderr: { write: (text) => (stderr += text) } });
  return { result, stdout, stderr };
}

describe('readCommandLine', () => {
  it('answers --help and -h with the usage on stdout and exit 0, without interpreting', () => {
    for (const argv of [['--help'], ['-h'], ['--out', 'x', '--help']]) {
      const run = read(demo([]), argv, () => {
        throw new Error('interpreted');
      });
      expect(run.result).toEqual({ ok: false, exitCode: 0 });
      expect(run.stdout).toBe(`${demo([]).usage}\n`);
      expect(run.stderr).toBe('');
    }
  });

  it('gives the interpreted arguments when they are right', () => {
    const run = read(demo(['<input>', '[count]']), ['in.txt', '--out', 'o.csv'], ({ values, positionals }) => ({ out: stringOption(values, 'out'), positionals }));
    expect(run.result).toEqual({ ok: true, value: { out: 'o.csv', positionals: ['in.txt'] } });
    expect(run.stdout + run.stderr).toBe('');
  });

  it.each([
    [[], ['--nope'], "demo: unknown option '--nope'"],
    [[], ['--out'], "demo: option '--out' needs a value"],
    [[], ['stray'], "demo: unexpected argument 'stray'"],
    [['<input>', '<output>', '[count]'], ['a'], 'demo: missing <output>'],
    [['<input>', '[count]'], ['a', '1', '2'], "demo: unexpected argument '2'"],
    [['<file>...'], [], 'demo: missing <file>'],
  ])('positionals %j, argv %j: "%s", the hint, exit 2', (positionals, argv, message) => {
    const run = read(demo(positionals), argv, () => {
      throw new Error('interpreted');
    });
    expect(run.result).toEqual({ ok: false, exitCode: 2 });
    expect(run.stderr).toBe(`${message}\n${HINT}\n`);
    expect(run.stdout).toBe('');
  });

  it('takes any number of trailing arguments when the last is written name...', () => {
    expect(read(demo(['<file>...']), ['a', 'b', 'c']).result).toMatchObject({ ok: true, value: { positionals: ['a', 'b', 'c'] } });
    expect(read(demo(['[name...]']), []).result).toMatchObject({ ok: true, value: { positionals: [] } });
  });

  it('answers a UsageError from interpret the same way, and lets other errors through', () => {
    const refused = read(demo([]), ['--out', ''], () => {
      throw new UsageError('demo: --out needs a file name');
    });
    expect(refused.result).toEqual({ ok: false, exitCode: 2 });
    expect(refused.stderr).toBe(`demo: --out needs a file name\n${HINT}\n`);
    expect(() =>
      read(demo([]), [], () => {
        throw new TypeError('a bug');
      }),
    ).toThrow('a bug');
  });
});

describe('parseCommandLine', () => {
  it("points at the tool's own --help by default, or at the command given", () => {
    expect(() => parseCommandLine('scan', ['--x'], {})).toThrow("scan: unknown option '--x'\nTry 'scan --help' for the list of options.");
    expect(() => parseCommandLine('grade', ['--x'], {}, 'npm run grade -- --help')).toThrow("grade: unknown option '--x'\nTry 'npm run grade -- --help' for the list of options.");
  });
});
