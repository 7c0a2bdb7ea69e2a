/** `grep`: the options the lessons use (-v -i -c -n -o -q -l -h -H -w -x -E -F -e). */
import type { ShellCommand } from '../run/command.ts';
import { UsageError } from '../run/command.ts';
import { compilePosix } from './regex.ts';
import { parseOptions, readInputs, splitLines } from './options.ts';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export const grep: ShellCommand = {
  name: 'grep',
  summary: 'print lines that match a pattern (-v -i -c -n -o -q -l -w -x -E -F -e)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'vicnoqlhHwxEFrs', withValue: 'e' });
    const patterns = options.values.get('e') ?? [];
    const operands = [...options.operands];
    if (patterns.length === 0) {
      const first = operands.shift();
      if (first === undefined) throw new UsageError('usage: grep [OPTION]... PATTERN [FILE]...');
      patterns.push(first);
    }
    const { flags } = options;
    const sources = patterns.map((p) => {
      let source = flags.has('F') ? escape(p) : compilePosix(p, { extended: flags.has('E') }).source;
      if (flags.has('w')) source = `(?<![A-Za-z0-9_])(?:${source})(?![A-Za-z0-9_])`;
      if (flags.has('x')) source = `^(?:${source})$`;
      return source;
    });
    const regex = new RegExp(sources.map((s) => `(?:${s})`).join('|'), flags.has('i') ? 'gi' : 'g');
    const inputs = await readInputs(ctx, operands);
    const showName = flags.has('H') || (inputs.length > 1 && !flags.has('h'));
    let matched = false;
    for (const input of inputs) {
      let count = 0;
      const lines = splitLines(input.data.toString('utf8'));
      for (const [index, line] of lines.entries()) {
        regex.lastIndex = 0;
        const hit = regex.test(line);
        if (hit === flags.has('v')) continue;
        count++;
        matched = true;
        if (flags.has('q')) return 0;
        if (flags.has('c') || flags.has('l')) continue;
        const prefix = `${showName ? `${input.name === '-' ? '(standard input)' : input.name}:` : ''}${flags.has('n') ? `${index + 1}:` : ''}`;
        if (flags.has('o') && !flags.has('v')) {
          regex.lastIndex = 0;
          for (const match of line.matchAll(regex)) if (match[0]) ctx.stdout.write(`${prefix}${match[0]}\n`);
        } else ctx.stdout.write(`${prefix}${line}\n`);
      }
      if (flags.has('c')) ctx.stdout.write(`${showName ? `${input.name}:` : ''}${count}\n`);
      if (flags.has('l') && count > 0) ctx.stdout.write(`${input.name === '-' ? '(standard input)' : input.name}\n`);
    }
    return matched ? 0 : 1;
  },
};
