/**
 * `sed`: the scripts the lessons and solutions use: `s/re/replacement/[gpI N]` with any
 * delimiter, `p`, `d`, `q`, addresses (a line number, `$`, `/re/`), `-n`, `-e`, `-E`/`-r`,
 * `-i`, several commands separated by `;` or newlines.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { ShellCommand } from '../run/command.ts';
import { UsageError } from '../run/command.ts';
import { compilePosix } from './regex.ts';
import { parseOptions, readInputs, splitLines } from './options.ts';

type Address = { kind: 'line'; n: number } | { kind: 'last' } | { kind: 'regex'; re: RegExp };
type SedCommand =
  | { op: 's'; address?: Address; re: RegExp; replacement: string; print: boolean; global: boolean; nth: number }
  | { op: 'p' | 'd' | 'q'; address?: Address };

function readDelimited(script: string, start: number, delimiter: string): { text: string; end: number } {
  let text = '';
  for (let i = start; i < script.length; i++) {
    const c = script[i]!;
    if (c === '\\' && script[i + 1] === delimiter) {
      text += delimiter === '/' ? '\\/' : delimiter;
      i++;
      continue;
    }
    if (c === '\\' && i + 1 < script.length) {
      text += c + script[i + 1];
      i++;
      continue;
    }
    if (c === delimiter) return { text, end: i };
    text += c;
  }
  throw new UsageError(`unterminated \`s' command in '${script}'`);
}

export function parseSedScript(script: string, extended: boolean): SedCommand[] {
  const commands: SedCommand[] = [];
  let i = 0;
  while (i < script.length) {
    while (i < script.length && /[\s;]/.test(script[i]!)) i++;
    if (i >= script.length) break;
    let address: Address | undefined;
    const number = /^\d+/.exec(script.slice(i));
    if (number) {
      address = { kind: 'line', n: Number(number[0]) };
      i += number[0].length;
    } else if (script[i] === '$') {
      address = { kind: 'last' };
      i++;
    } else if (script[i] === '/') {
      const { text, end } = readDelimited(script, i + 1, '/');
      address = { kind: 'regex', re: compilePosix(text, { extended }) };
      i = end + 1;
    }
    const op = script[i];
    if (op === 's') {
      const delimiter = script[i + 1];
      if (!delimiter) throw new UsageError(`unterminated \`s' command in '${script}'`);
      const pattern = readDelimited(script, i + 2, delimiter);
      const replacement = readDelimited(script, pattern.end + 1, delimiter);
      i = replacement.end + 1;
      const flags = /^[gpI0-9]*/.exec(script.slice(i))![0];
      i += flags.length;
      const nth = Number(/\d+/.exec(flags)?.[0] ?? 1);
      commands.push({
        op: 's',
        address,
        re: compilePosix(pattern.text, { extended, ignoreCase: flags.includes('I'), global: true }),
        replacement: replacement.text,
        print: flags.includes('p'),
        global: flags.includes('g'),
        nth,
      });
    } else if (op === 'p' || op === 'd' || op === 'q') {
      commands.push({ op, address });
      i++;
    } else {
      throw new UsageError(`the lab's sed knows s, p, d and q; not '${op ?? script}' (in '${script}')`);
    }
  }
  return commands;
}

function replaceWith(template: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '\\' && i + 1 < template.length) {
      const next = template[++i]!;
      if (/[0-9]/.test(next)) out += match[Number(next)] ?? '';
      else out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else if (c === '&') out += match[0];
    else out += c;
  }
  return out;
}

function substitute(line: string, command: Extract<SedCommand, { op: 's' }>): { line: string; changed: boolean } {
  const re = command.re;
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let count = 0;
  let changed = false;
  let match: RegExpExecArray | null;
  while ((match = re.exec(line))) {
    count++;
    if (count >= command.nth && (command.global || count === command.nth)) {
      out += line.slice(last, match.index) + replaceWith(command.replacement, match);
      last = match.index + match[0].length;
      changed = true;
      if (!command.global) break;
    }
    if (match[0] === '') re.lastIndex++;
  }
  return { line: changed ? out + line.slice(last) : line, changed };
}

export function runSed(text: string, commands: SedCommand[], quiet: boolean): { output: string; quit: boolean } {
  const lines = splitLines(text);
  let output = '';
  for (const [index, original] of lines.entries()) {
    let line = original;
    let deleted = false;
    let quit = false;
    const applies = (address?: Address): boolean => {
      if (!address) return true;
      if (address.kind === 'line') return index + 1 === address.n;
      if (address.kind === 'last') return index === lines.length - 1;
      address.re.lastIndex = 0;
      return address.re.test(line);
    };
    for (const command of commands) {
      if (!applies(command.address)) continue;
      if (command.op === 's') {
        const result = substitute(line, command);
        line = result.line;
        if (result.changed && command.print) output += `${line}\n`;
      } else if (command.op === 'p') output += `${line}\n`;
      else if (command.op === 'd') {
        deleted = true;
        break;
      } else {
        quit = true;
        break;
      }
    }
    if (!deleted && !quiet) output += `${line}\n`;
    if (quit) return { output, quit: true };
  }
  return { output, quit: false };
}

export const sed: ShellCommand = {
  name: 'sed',
  summary: "edit lines as they pass: sed -n 's/RE/REPLACEMENT/p', p, d, q, -e, -E, -i",
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'nErsi', withValue: 'e' });
    const operands = [...options.operands];
    const scripts = options.values.get('e') ?? [];
    if (scripts.length === 0) {
      const script = operands.shift();
      if (script === undefined) throw new UsageError("usage: sed [-n] [-E] 's/RE/REPLACEMENT/' [FILE]...");
      scripts.push(script);
    }
    const extended = options.flags.has('E') || options.flags.has('r');
    const commands = parseSedScript(scripts.join('\n'), extended);
    const quiet = options.flags.has('n');
    if (options.flags.has('i')) {
      if (operands.length === 0) throw new UsageError('-i needs a file');
      for (const operand of operands) {
        const path = ctx.shell.paths.resolve(ctx.shell.cwd, operand);
        writeFileSync(path, runSed(readFileSync(path, 'utf8'), commands, quiet).output);
      }
      return 0;
    }
    const inputs = await readInputs(ctx, operands);
    const text = inputs.map((input) => input.data.toString('utf8')).join('');
    ctx.stdout.write(runSed(text, commands, quiet).output);
    return 0;
  },
};
