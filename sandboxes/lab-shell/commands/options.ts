/**
 * Reading a command's arguments the way coreutils do: clustered short flags (`-la`), flags
 * with a value attached or separate (`-n5`, `-n 5`), `--` ends options, a bare `-` is an
 * operand (stdin). node:util parseArgs cannot take `-5` for `-n 5` or `-sd,`, hence this.
 */
import { readFileSync } from 'node:fs';
import { UsageError, type CommandContext } from '../run/command.ts';

export interface ParsedOptions {
  flags: Set<string>;
  values: Map<string, string[]>;
  operands: string[];
}

/** `withValue` lists the letters that take a value; `numeric` lets `-5` mean `-n 5`. */
export function parseOptions(args: string[], spec: { flags: string; withValue?: string; numeric?: string; long?: Record<string, string> }): ParsedOptions {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  const operands: string[] = [];
  const add = (letter: string, value: string): void => {
    values.set(letter, [...(values.get(letter) ?? []), value]);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') && spec.long) {
      const [name, attached] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      const letter = spec.long[name];
      if (!letter) throw new UsageError(`unknown option --${name}`);
      if (spec.withValue?.includes(letter)) {
        const value = attached ?? args[++i];
        if (value === undefined) throw new UsageError(`option --${name} needs a value`);
        add(letter, value);
      } else flags.add(letter);
      continue;
    }
    if (!arg.startsWith('-') || arg === '-' || arg.length === 1) {
      operands.push(arg);
      continue;
    }
    if (spec.numeric && /^-\d+$/.test(arg)) {
      add(spec.numeric, arg.slice(1));
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j]!;
      if (spec.withValue?.includes(letter)) {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
        if (value === undefined) throw new UsageError(`option -${letter} needs a value`);
        add(letter, value);
        break;
      }
      if (!spec.flags.includes(letter)) throw new UsageError(`invalid option -- '${letter}'`);
      flags.add(letter);
    }
  }
  return { flags, values, operands };
}

export const lastValue = (options: ParsedOptions, letter: string): string | undefined => options.values.get(letter)?.at(-1);

/** The bytes of each operand (`-` or none: stdin), in order; a missing file is reported and skipped. */
export async function readInputs(ctx: CommandContext, operands: string[]): Promise<{ name: string; data: Buffer }[]> {
  if (operands.length === 0) return [{ name: '-', data: await ctx.stdin.readAll() }];
  const out: { name: string; data: Buffer }[] = [];
  for (const operand of operands) {
    if (operand === '-') out.push({ name: '-', data: await ctx.stdin.readAll() });
    else out.push({ name: operand, data: readFileSync(ctx.shell.paths.resolve(ctx.shell.cwd, operand)) });
  }
  return out;
}

/** Lines of a text, without the final newline's empty piece. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function parseCount(text: string | undefined, what: string): number {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n)) throw new UsageError(`invalid number of ${what}: '${text}'`);
  return n;
}
