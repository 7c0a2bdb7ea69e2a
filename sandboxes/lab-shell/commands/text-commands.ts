/** The line filters: head tail wc sort uniq cut tr tee paste, with the options the lessons use. */
import { openSync, writeSync, closeSync } from 'node:fs';
import type { ShellCommand } from '../run/command.ts';
import { UsageError } from '../run/command.ts';
import { lastValue, parseCount, parseOptions, readInputs, splitLines } from './options.ts';

const joinLines = (lines: string[]): string => (lines.length ? `${lines.join('\n')}\n` : '');

export const head: ShellCommand = {
  name: 'head',
  summary: 'the first lines of a file (-n N, -c BYTES)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'qv', withValue: 'nc', numeric: 'n' });
    const inputs = await readInputs(ctx, options.operands);
    const bytes = lastValue(options, 'c');
    for (const [i, input] of inputs.entries()) {
      if (inputs.length > 1) ctx.stdout.write(`${i ? '\n' : ''}==> ${input.name} <==\n`);
      if (bytes !== undefined) ctx.stdout.write(input.data.subarray(0, parseCount(bytes, 'bytes')));
      else {
        const n = parseCount(lastValue(options, 'n') ?? '10', 'lines');
        const lines = splitLines(input.data.toString('utf8'));
        ctx.stdout.write(joinLines(n >= 0 ? lines.slice(0, n) : lines.slice(0, n)));
      }
    }
    return 0;
  },
};

export const tail: ShellCommand = {
  name: 'tail',
  summary: 'the last lines of a file (-n N, -n +N, -c BYTES)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'qv', withValue: 'nc', numeric: 'n' });
    const inputs = await readInputs(ctx, options.operands);
    for (const [i, input] of inputs.entries()) {
      if (inputs.length > 1) ctx.stdout.write(`${i ? '\n' : ''}==> ${input.name} <==\n`);
      const bytes = lastValue(options, 'c');
      if (bytes !== undefined) {
        ctx.stdout.write(input.data.subarray(Math.max(0, input.data.length - parseCount(bytes, 'bytes'))));
        continue;
      }
      const spec = lastValue(options, 'n') ?? '10';
      const lines = splitLines(input.data.toString('utf8'));
      if (spec.startsWith('+')) ctx.stdout.write(joinLines(lines.slice(Math.max(0, parseCount(spec.slice(1), 'lines') - 1))));
      else {
        const n = Math.abs(parseCount(spec, 'lines'));
        ctx.stdout.write(joinLines(n === 0 ? [] : lines.slice(-n)));
      }
    }
    return 0;
  },
};

export const wc: ShellCommand = {
  name: 'wc',
  summary: 'count lines, words and bytes (-l -w -c -m)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'lwcm' });
    const inputs = await readInputs(ctx, options.operands);
    const picked = ['l', 'w', 'c', 'm'].filter((f) => options.flags.has(f));
    const show = picked.length ? picked : ['l', 'w', 'c'];
    const totals: Record<string, number> = { l: 0, w: 0, c: 0, m: 0 };
    const line = (counts: Record<string, number>, name: string): string => {
      const cells = show.map((f) => String(counts[f]));
      const width = show.length === 1 && options.operands.length <= 1 ? 0 : 7;
      return `${cells.map((cell) => cell.padStart(width)).join(' ')}${name === '-' ? '' : ` ${name}`}\n`;
    };
    for (const input of inputs) {
      const text = input.data.toString('utf8');
      const counts = { l: (text.match(/\n/g) ?? []).length, w: text.split(/\s+/).filter(Boolean).length, c: input.data.length, m: [...text].length };
      for (const key of Object.keys(totals)) totals[key]! += counts[key as 'l']!;
      ctx.stdout.write(line(counts, input.name));
    }
    if (inputs.length > 1) ctx.stdout.write(line(totals, 'total'));
    return 0;
  },
};

export const sort: ShellCommand = {
  name: 'sort',
  summary: 'sort lines (-r -n -u -f -k N -t SEP)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'rnufb', withValue: 'kt' });
    const inputs = await readInputs(ctx, options.operands);
    let lines = inputs.flatMap((input) => splitLines(input.data.toString('utf8')));
    const separator = lastValue(options, 't');
    const keySpec = lastValue(options, 'k');
    const field = keySpec ? parseCount(keySpec.split(/[,.]/)[0], 'fields') : 0;
    const key = (line: string): string => {
      if (!field) return line;
      const parts = separator ? line.split(separator) : line.trim().split(/\s+/);
      return parts.slice(field - 1).join(separator ?? ' ');
    };
    const fold = options.flags.has('f');
    const compare = options.flags.has('n')
      ? (a: string, b: string) => (parseFloat(key(a)) || 0) - (parseFloat(key(b)) || 0) || (a < b ? -1 : a > b ? 1 : 0)
      : (a: string, b: string) => {
          const x = fold ? key(a).toLowerCase() : key(a);
          const y = fold ? key(b).toLowerCase() : key(b);
          return x < y ? -1 : x > y ? 1 : 0;
        };
    lines.sort(compare);
    if (options.flags.has('r')) lines.reverse();
    if (options.flags.has('u')) lines = lines.filter((line, i) => i === 0 || compare(lines[i - 1]!, line) !== 0);
    ctx.stdout.write(joinLines(lines));
    return 0;
  },
};

export const uniq: ShellCommand = {
  name: 'uniq',
  summary: 'drop repeated adjacent lines (-c -d -u -i)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'cdui' });
    const inputs = await readInputs(ctx, options.operands.slice(0, 1));
    const lines = splitLines(inputs[0]!.data.toString('utf8'));
    const same = (a: string, b: string) => (options.flags.has('i') ? a.toLowerCase() === b.toLowerCase() : a === b);
    const groups: { line: string; count: number }[] = [];
    for (const line of lines) {
      const last = groups.at(-1);
      if (last && same(last.line, line)) last.count++;
      else groups.push({ line, count: 1 });
    }
    for (const group of groups) {
      if (options.flags.has('d') && group.count < 2) continue;
      if (options.flags.has('u') && group.count > 1) continue;
      ctx.stdout.write(options.flags.has('c') ? `${String(group.count).padStart(7)} ${group.line}\n` : `${group.line}\n`);
    }
    return 0;
  },
};

function parseList(spec: string): (n: number) => boolean {
  const ranges = spec.split(',').map((part) => {
    const match = /^(\d*)(-?)(\d*)$/.exec(part);
    if (!match || (!match[1] && !match[3])) throw new UsageError(`invalid field list '${spec}'`);
    const from = match[1] ? Number(match[1]) : 1;
    const to = match[2] ? (match[3] ? Number(match[3]) : Infinity) : from;
    return [from, to] as const;
  });
  return (n) => ranges.some(([from, to]) => n >= from && n <= to);
}

export const cut: ShellCommand = {
  name: 'cut',
  summary: 'pick fields or characters from each line (-d SEP -f LIST, -c LIST, -s)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 's', withValue: 'dfcb' });
    const inputs = await readInputs(ctx, options.operands);
    const fields = lastValue(options, 'f');
    const chars = lastValue(options, 'c') ?? lastValue(options, 'b');
    if (!fields && !chars) throw new UsageError('you must specify a list of fields (-f) or characters (-c)');
    const delimiter = lastValue(options, 'd') ?? '\t';
    if (delimiter.length !== 1) throw new UsageError('the delimiter must be a single character');
    const pick = parseList((fields ?? chars)!);
    for (const input of inputs) {
      for (const line of splitLines(input.data.toString('utf8'))) {
        if (chars) {
          ctx.stdout.write(`${[...line].filter((_, i) => pick(i + 1)).join('')}\n`);
        } else if (!line.includes(delimiter)) {
          if (!options.flags.has('s')) ctx.stdout.write(`${line}\n`);
        } else ctx.stdout.write(`${line.split(delimiter).filter((_, i) => pick(i + 1)).join(delimiter)}\n`);
      }
    }
    return 0;
  },
};

/** A tr set: ranges, classes and escapes expanded to characters. */
function expandSet(spec: string): string[] {
  const classes: Record<string, string> = { upper: 'A-Z', lower: 'a-z', digit: '0-9', alpha: 'A-Za-z', alnum: 'A-Za-z0-9', space: ' \t\n\r\f\v', blank: ' \t', punct: '!-/:-@[-`{-~' };
  const withClasses = spec.replace(/\[:([a-z]+):\]/g, (all, name: string) => classes[name] ?? all);
  const chars: string[] = [];
  const raw = [...withClasses.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\' })[c] ?? c)];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i + 1] === '-' && raw[i + 2] !== undefined) {
      for (let code = raw[i]!.codePointAt(0)!; code <= raw[i + 2]!.codePointAt(0)!; code++) chars.push(String.fromCodePoint(code));
      i += 2;
    } else chars.push(raw[i]!);
  }
  return chars;
}

export const tr: ShellCommand = {
  name: 'tr',
  summary: 'translate or delete characters (tr a-z A-Z, -d SET, -s SET)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'dsc' });
    const [from, to] = options.operands;
    if (from === undefined || (!options.flags.has('d') && !options.flags.has('s') && to === undefined)) throw new UsageError('usage: tr [-d|-s] SET1 [SET2]');
    const set1 = expandSet(from);
    const set2 = to !== undefined ? expandSet(to) : [];
    const text = (await ctx.stdin.readAll()).toString('utf8');
    let out = '';
    let previous = '';
    for (const c of text) {
      if (options.flags.has('d')) {
        if (set1.includes(c)) continue;
        out += c;
        continue;
      }
      const index = set1.indexOf(c);
      const mapped = index >= 0 && set2.length ? (set2[Math.min(index, set2.length - 1)] ?? c) : c;
      if (options.flags.has('s') && mapped === previous && (set2.length ? set2 : set1).includes(mapped)) continue;
      out += mapped;
      previous = mapped;
    }
    ctx.stdout.write(out);
    return 0;
  },
};

export const tee: ShellCommand = {
  name: 'tee',
  summary: 'copy input to the output and to files (-a appends)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'a' });
    const fds = options.operands.map((operand) => openSync(ctx.shell.paths.resolve(ctx.shell.cwd, operand), options.flags.has('a') ? 'a' : 'w'));
    try {
      // As it comes: `scan ... | tee scan.txt` shows the scan while it runs.
      for await (const chunk of ctx.stdin.chunks()) {
        ctx.stdout.write(chunk);
        for (const fd of fds) writeSync(fd, chunk);
      }
    } finally {
      for (const fd of fds) closeSync(fd);
    }
    return 0;
  },
};

export const paste: ShellCommand = {
  name: 'paste',
  summary: 'join lines side by side, or all into one with -s (-d LIST)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 's', withValue: 'd' });
    const delimiters = [...(lastValue(options, 'd') ?? '\t').replace(/\\t/g, '\t').replace(/\\n/g, '\n')];
    if (delimiters.length === 0) delimiters.push('');
    const inputs = await readInputs(ctx, options.operands.length ? options.operands : ['-']);
    const columns = inputs.map((input) => splitLines(input.data.toString('utf8')));
    const joinWith = (cells: string[]): string => cells.reduce((acc, cell, i) => (i === 0 ? cell : acc + delimiters[(i - 1) % delimiters.length] + cell), '');
    if (options.flags.has('s')) {
      for (const column of columns) ctx.stdout.write(`${joinWith(column)}\n`);
      return 0;
    }
    const rows = Math.max(0, ...columns.map((column) => column.length));
    for (let row = 0; row < rows; row++) ctx.stdout.write(`${joinWith(columns.map((column) => column[row] ?? ''))}\n`);
    return 0;
  },
};
