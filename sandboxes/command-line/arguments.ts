/**
 * The one way every command-line program of the lab parses its arguments (the learner's tools,
 * `npm run db`, `npm run world`, the checks and the lab shell's own commands): node:util parseArgs (strict: unknown flags are errors), with
 * its messages rewritten into one short line that names the flag and points at --help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/**
 * `helpCommand` is how the user asks for help, for the hint under an error: the tool's own name
 * by default; the project's programs run through npm (`npm run grade -- --help`).
 */
export function parseCommandLine(tool: string, argv: string[], options: Options, helpCommand = `${tool} --help`): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    throw new UsageError(usageMessage(tool, explainParseError(error as Error & { code?: string }), helpCommand));
  }
}

/** The one wording of a usage error: the program, what is wrong, and where to look. */
export function usageMessage(tool: string, message: string, helpCommand = `${tool} --help`): string {
  return `${tool}: ${message}\n${helpHint(helpCommand)}`;
}

/** The line under every usage error, pointing at the list of options. */
export function helpHint(helpCommand: string): string {
  return `Try '${helpCommand}' for the list of options.`;
}

/** Where a program prints, its help text, and the exit code it gives for bad usage. */
export interface ProgramOpening {
  name: string;
  help: string;
  usageExit: number;
  io: { stdout: { write(text: string): unknown }; stderr: { write(text: string): unknown } };
  /** How to ask for help when it is not `NAME --help` (the project's programs run through npm). */
  helpCommand?: string;
}

/**
 * The opening every tool shares: parse the arguments; on a usage error print it and give the
 * usage exit code; on --help print the help and give 0. A number back means "exit with it".
 */
export function openCommandLine(program: ProgramOpening, argv: string[], options: Options): ParsedArgs | number {
  let parsed: ParsedArgs;
  try {
    parsed = parseCommandLine(program.name, argv, options, program.helpCommand);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    program.io.stderr.write(`${error.message}\n`);
    return program.usageExit;
  }
  if (flag(parsed.values, 'help')) {
    program.io.stdout.write(`${program.help}\n`);
    return 0;
  }
  return parsed;
}

function explainParseError(error: Error & { code?: string }): string {
  const message = error.message;
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
    return `unknown option '${flag}'`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /Option '([^']+)'/.exec(message)?.[1]?.replace(/ <value>$/, '');
    if (flag && /argument missing/.test(message)) return `option '${flag}' needs a value`;
    if (flag && /ambiguous/.test(message)) {
      const long = flag.split(', ').pop()!;
      return `option '${flag}' is followed by something that looks like another option; write ${long}=VALUE if the value starts with '-'`;
    }
    if (flag) return `option '${flag}' does not take a value`;
  }
  return message;
}

/** A string option's value, or undefined (parseArgs types are loose for mixed configs). */
export function stringOption(values: ParsedArgs['values'], name: string): string | undefined {
  const value = values[name];
  if (Array.isArray(value)) return value.length ? String(value[value.length - 1]) : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function stringList(values: ParsedArgs['values'], name: string): string[] {
  const value = values[name];
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' ? [value] : [];
}

export function flag(values: ParsedArgs['values'], name: string): boolean {
  return values[name] === true;
}

export function integerOption(tool: string, values: ParsedArgs['values'], name: string, min = 0): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) {
    throw new UsageError(`${tool}: --${name} must be a whole number >= ${min}, got '${text}'`);
  }
  return Number(text);
}
