/** The file commands: cat ls mkdir rm cp mv touch, inside the lab folder only. */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CommandContext, ShellCommand } from '../run/command.ts';
import { UsageError } from '../run/command.ts';
import { describeError } from '../run/shell.ts';
import { parseOptions } from './options.ts';

const here = (ctx: CommandContext, path: string): string => ctx.shell.paths.resolve(ctx.shell.cwd, path);

/** Runs `each` per operand; an error is printed `cmd: message` and makes the exit status 1. */
function eachOperand(ctx: CommandContext, operands: string[], each: (operand: string) => void): number {
  let status = 0;
  for (const operand of operands) {
    try {
      each(operand);
    } catch (error) {
      // A system error names the real path; the learner typed the operand, so show that.
      const system = (error as NodeJS.ErrnoException).syscall !== undefined;
      const text = system ? `${operand}: ${describeError(error).replace(/^.*?: /, '')}` : describeError(error);
      ctx.stderr.write(`${ctx.name}: ${text}\n`);
      status = 1;
    }
  }
  return status;
}

export const cat: ShellCommand = {
  name: 'cat',
  summary: 'print files (or the input) as they are',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'nuv' });
    if (options.operands.length === 0) {
      for await (const chunk of ctx.stdin.chunks()) ctx.stdout.write(chunk);
      return 0;
    }
    let status = 0;
    for (const operand of options.operands) {
      if (operand === '-') {
        ctx.stdout.write(await ctx.stdin.readAll());
        continue;
      }
      status |= eachOperand(ctx, [operand], () => {
        const data = readFileSync(here(ctx, operand));
        if (!options.flags.has('n')) ctx.stdout.write(data);
        else {
          const lines = data.toString('utf8').split('\n');
          if (lines.at(-1) === '') lines.pop();
          ctx.stdout.write(lines.map((line, i) => `${String(i + 1).padStart(6)}\t${line}\n`).join(''));
        }
      });
    }
    return status;
  },
};

function formatLong(path: string, name: string): string {
  const stat = statSync(path);
  const kind = stat.isDirectory() ? 'd' : '-';
  const mode = [0o400, 0o200, 0o100, 0o40, 0o20, 0o10, 0o4, 0o2, 0o1].map((bit, i) => (stat.mode & bit ? 'rwx'[i % 3] : '-')).join('');
  const date = stat.mtime.toISOString().slice(0, 16).replace('T', ' ');
  return `${kind}${mode} ${String(stat.size).padStart(9)} ${date} ${name}${stat.isDirectory() ? '/' : ''}`;
}

export const ls: ShellCommand = {
  name: 'ls',
  summary: 'list a folder (-l long, -a hidden files too, -1 one per line)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'laA1hrt' });
    const operands = options.operands.length ? options.operands : ['.'];
    const long = options.flags.has('l');
    const all = options.flags.has('a') || options.flags.has('A');
    const print = (names: string[], dir: string | undefined): void => {
      if (long) {
        for (const name of names) ctx.stdout.write(`${formatLong(dir ? join(dir, name) : here(ctx, name), name)}\n`);
      } else if (ctx.stdout.isTTY && !options.flags.has('1')) {
        if (names.length) ctx.stdout.write(`${names.join('  ')}\n`);
      } else for (const name of names) ctx.stdout.write(`${name}\n`);
    };
    const files: string[] = [];
    const dirs: string[] = [];
    const status = eachOperand(ctx, operands, (operand) => {
      const path = here(ctx, operand);
      if (statSync(path).isDirectory()) dirs.push(operand);
      else files.push(operand);
    });
    print(files, undefined);
    for (const [i, operand] of dirs.entries()) {
      const path = here(ctx, operand);
      let names = readdirSync(path).filter((name) => all || !name.startsWith('.'));
      names.sort();
      if (options.flags.has('t')) names.sort((a, b) => statSync(join(path, b)).mtimeMs - statSync(join(path, a)).mtimeMs);
      if (options.flags.has('r')) names = names.reverse();
      if (dirs.length + files.length > 1) ctx.stdout.write(`${i || files.length ? '\n' : ''}${operand}:\n`);
      print(names, path);
    }
    return status;
  },
};

export const mkdir: ShellCommand = {
  name: 'mkdir',
  summary: 'make folders (-p: parents too, no error if it exists)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'pv' });
    if (options.operands.length === 0) throw new UsageError('missing operand');
    return eachOperand(ctx, options.operands, (operand) => {
      const path = here(ctx, operand);
      if (!options.flags.has('p') && existsSync(path)) throw new Error(`cannot create directory '${operand}': File exists`);
      mkdirSync(path, { recursive: options.flags.has('p') });
    });
  },
};

export const rm: ShellCommand = {
  name: 'rm',
  summary: 'remove files (-r folders too, -f no error if missing)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'rRfv' });
    if (options.operands.length === 0) throw new UsageError('missing operand');
    const recursive = options.flags.has('r') || options.flags.has('R');
    return eachOperand(ctx, options.operands, (operand) => {
      const path = here(ctx, operand);
      if (path === ctx.shell.paths.root) throw new Error(`refusing to remove the lab folder itself ('${operand}'); "Reset lab" starts it afresh`);
      if (!existsSync(path)) {
        if (options.flags.has('f')) return;
        throw new Error(`cannot remove '${operand}': No such file or directory`);
      }
      if (statSync(path).isDirectory() && !recursive) throw new Error(`cannot remove '${operand}': Is a directory`);
      rmSync(path, { recursive, force: options.flags.has('f') });
    });
  },
};

/** The destination of cp/mv: into a folder when the last operand is one. */
function destinations(ctx: CommandContext, operands: string[]): { sources: string[]; target: (source: string) => string } {
  if (operands.length < 2) throw new UsageError(`missing destination file operand after '${operands[0] ?? ''}'`);
  const last = operands.at(-1)!;
  const targetPath = here(ctx, last);
  const intoFolder = existsSync(targetPath) && statSync(targetPath).isDirectory();
  if (operands.length > 2 && !intoFolder) throw new Error(`target '${last}' is not a directory`);
  return { sources: operands.slice(0, -1), target: (source) => (intoFolder ? join(targetPath, basename(here(ctx, source))) : targetPath) };
}

export const cp: ShellCommand = {
  name: 'cp',
  summary: 'copy files (-r folders too)',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'rRpfav' });
    const { sources, target } = destinations(ctx, options.operands);
    return eachOperand(ctx, sources, (source) => {
      const from = here(ctx, source);
      if (statSync(from).isDirectory() && !options.flags.has('r') && !options.flags.has('R') && !options.flags.has('a')) throw new Error(`-r not specified; omitting directory '${source}'`);
      cpSync(from, target(source), { recursive: true });
    });
  },
};

export const mv: ShellCommand = {
  name: 'mv',
  summary: 'move or rename files',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'fvn' });
    const { sources, target } = destinations(ctx, options.operands);
    return eachOperand(ctx, sources, (source) => {
      const from = here(ctx, source);
      if (from === ctx.shell.paths.root) throw new Error('cannot move the lab folder itself');
      renameSync(from, target(source));
    });
  },
};

export const touch: ShellCommand = {
  name: 'touch',
  summary: 'create empty files, or update their time',
  async run(ctx) {
    const options = parseOptions(ctx.args, { flags: 'c' });
    if (options.operands.length === 0) throw new UsageError('missing file operand');
    return eachOperand(ctx, options.operands, (operand) => {
      const path = here(ctx, operand);
      if (existsSync(path)) utimesSync(path, new Date(), new Date());
      else if (!options.flags.has('c')) writeFileSync(path, '');
    });
  },
};
