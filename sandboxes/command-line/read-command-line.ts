/**
 * The opening every project program shares (`npm run grade`, `npm run classroom`, `npm start`,
 * lab-control, the world process, the build and bench scripts), so none repeats it or parses
 * process.argv by hand: the tools' opening (openCommandLine: --help answered with the usage on
 * stdout, exit 0; an unknown flag or a missing value answered on stderr, exit 2) plus what the
 * tools do each in their own way: the positional arguments checked against the usage line, and
 * the values turned into what the program runs with, a refused one answered like the rest (one
 * line saying what to fix, one pointing at --help, exit 2).
 */
import { helpHint, openCommandLine, UsageError, type ParsedArgs } from './arguments.ts';

type Options = Parameters<typeof openCommandLine>[2];

export interface ProgramSpec {
  /** The program's name, first on each error line: 'grade', 'lab-control'. */
  name: string;
  /** How a user asks for help, for the hint under an error: 'npm run grade -- --help'. */
  helpCommand: string;
  /** The --help text: a usage line, what the program does, then a line per option. */
  usage: string;
  /** Its options; --help (-h) is added. */
  options?: Options;
  /**
   * Its positional arguments as the usage line writes them: `<name>` required, `[name]`
   * optional, a trailing `<name>...` one or more, `[name...]` any number. None by default.
   */
  positionals?: string[];
}

export interface ProgramStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export type CommandLineReading<T> = { ok: true; value: T } | { ok: false; exitCode: number };

/** A usage error's exit code for every project program, as for the tools and mongod. */
const USAGE_EXIT = 2;

/**
 * Reads a program's arguments. `interpret` turns them into what the program runs with and throws
 * UsageError for a value it refuses (its message: `name: what to fix`). When this returns
 * `ok: false` the program has already said why and must end with `exitCode`, starting nothing.
 */
export function readCommandLine<T>(
  spec: ProgramSpec,
  argv: string[],
  interpret: (args: ParsedArgs) => T,
  streams: ProgramStreams = process,
): CommandLineReading<T> {
  const opening = { name: spec.name, help: spec.usage.replace(/\n$/, ''), usageExit: USAGE_EXIT, io: streams, helpCommand: spec.helpCommand };
  const parsed = openCommandLine(opening, argv, { ...spec.options, help: { type: 'boolean', short: 'h' } });
  if (typeof parsed === 'number') return { ok: false, exitCode: parsed };
  try {
    checkPositionals(spec.name, spec.positionals ?? [], parsed.positionals);
    return { ok: true, value: interpret(parsed) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const hint = helpHint(spec.helpCommand);
    streams.stderr.write(error.message.includes(hint) ? `${error.message}\n` : `${error.message}\n${hint}\n`);
    return { ok: false, exitCode: USAGE_EXIT };
  }
}

function checkPositionals(name: string, expected: string[], given: string[]): void {
  const last = expected.at(-1);
  const unlimited = last !== undefined && /\.\.\.[\]>]?$/.test(last);
  for (const [index, argument] of expected.entries()) {
    if (argument.startsWith('<') && given[index] === undefined) {
      throw new UsageError(`${name}: missing ${argument.replace(/\.\.\.$/, '')}`);
    }
  }
  if (!unlimited && given.length > expected.length) {
    throw new UsageError(`${name}: unexpected argument '${given[expected.length]}'`);
  }
}
