/** The shell's own commands: cd pwd echo printf export unset exit history help clear true false test [ sleep read. */
import { statSync, existsSync } from 'node:fs';
import type { CommandContext, ShellCommand } from '../run/command.ts';
import { UsageError } from '../run/command.ts';
import { ExitRequest } from '../run/shell.ts';
import { splitLines } from './options.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const cd: ShellCommand = {
  name: 'cd',
  summary: 'change folder (no argument: back to the lab folder)',
  async run(ctx) {
    const target = ctx.args[0] ?? '~';
    const path = target === '-' ? (ctx.shell.vars.get('OLDPWD') ?? ctx.shell.cwd) : ctx.shell.paths.resolve(ctx.shell.cwd, target);
    if (!existsSync(path)) throw new Error(`${target}: No such file or directory`);
    if (!statSync(path).isDirectory()) throw new Error(`${target}: Not a directory`);
    ctx.shell.setVar('OLDPWD', ctx.shell.cwd, true);
    ctx.shell.cwd = path;
    ctx.shell.setVar('PWD', path, true);
    return 0;
  },
};

export const pwd: ShellCommand = {
  name: 'pwd',
  summary: 'print the current folder',
  async run(ctx) {
    ctx.stdout.write(`${ctx.shell.cwd}\n`);
    return 0;
  },
};

/** Backslash escapes of `echo -e` and printf's %b and format. */
function unescape(text: string, stop?: { stopped: boolean }): string {
  return text.replace(/\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|.)/gs, (all, code: string) => {
    if (code[0] === '0' && code.length > 1) return String.fromCharCode(parseInt(code.slice(1), 8));
    if (code[0] === 'x') return String.fromCharCode(parseInt(code.slice(1), 16));
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v', '0': '\0' };
    if (code === 'c' && stop) {
      stop.stopped = true;
      return '';
    }
    return map[code] ?? all;
  });
}

export const echo: ShellCommand = {
  name: 'echo',
  summary: 'print its arguments (-n: no newline, -e: backslash escapes)',
  async run(ctx) {
    const args = [...ctx.args];
    let newline = true;
    let escapes = false;
    while (args[0] && /^-[neE]+$/.test(args[0])) {
      const flag = args.shift()!;
      if (flag.includes('n')) newline = false;
      if (flag.includes('e')) escapes = true;
      if (flag.includes('E')) escapes = false;
    }
    const text = args.join(' ');
    ctx.stdout.write((escapes ? unescape(text) : text) + (newline ? '\n' : ''));
    return 0;
  },
};

/** printf FORMAT [ARGUMENT]...: the format is reused while arguments remain, as in bash. */
export function formatPrintf(format: string, args: string[]): string {
  let out = '';
  let index = 0;
  const stop = { stopped: false };
  do {
    const start = index;
    out += format.replace(/%([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([sdibfxXoc%])|\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|.)/gs, (all, flags: string, width: string, precision: string, conv: string, escape: string) => {
      if (escape !== undefined) return unescape(all, stop);
      if (conv === '%') return '%';
      const arg = args[index++] ?? '';
      let text: string;
      switch (conv) {
        case 's':
          text = precision !== undefined ? arg.slice(0, Number(precision)) : arg;
          break;
        case 'b':
          text = unescape(arg, stop);
          break;
        case 'c':
          text = arg.slice(0, 1);
          break;
        case 'd':
        case 'i':
          text = String(Math.trunc(Number(arg) || 0));
          break;
        case 'f':
          text = (Number(arg) || 0).toFixed(precision !== undefined ? Number(precision) : 6);
          break;
        case 'x':
          text = (Math.trunc(Number(arg)) || 0).toString(16);
          break;
        case 'X':
          text = (Math.trunc(Number(arg)) || 0).toString(16).toUpperCase();
          break;
        default:
          text = (Math.trunc(Number(arg)) || 0).toString(8);
      }
      const w = width && width !== '*' ? Number(width) : 0;
      if (text.length < w) text = flags.includes('-') ? text.padEnd(w) : text.padStart(w, flags.includes('0') && /[dif]/.test(conv) ? '0' : ' ');
      return text;
    });
    if (index === start) break;
  } while (index < args.length && !stop.stopped);
  return out;
}

export const printf: ShellCommand = {
  name: 'printf',
  summary: "print formatted text: printf 'host: %s\\n' \"$host\"",
  async run(ctx) {
    const [format, ...args] = ctx.args;
    if (format === undefined) throw new UsageError('usage: printf FORMAT [ARGUMENT]...');
    ctx.stdout.write(formatPrintf(format, args));
    return 0;
  },
};

export const exportCommand: ShellCommand = {
  name: 'export',
  summary: 'give a variable to the commands you run: export NAME=value',
  async run(ctx) {
    if (ctx.args.length === 0 || ctx.args[0] === '-p') {
      for (const [name, value] of Object.entries(ctx.shell.env()).sort()) ctx.stdout.write(`declare -x ${name}="${value}"\n`);
      return 0;
    }
    let status = 0;
    for (const arg of ctx.args) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(0, eq) : arg;
      if (!NAME.test(name)) {
        ctx.stderr.write(`export: \`${arg}': not a valid identifier\n`);
        status = 1;
        continue;
      }
      if (eq >= 0) ctx.shell.setVar(name, arg.slice(eq + 1), true);
      else ctx.shell.exported.add(name);
    }
    return status;
  },
};

export const unset: ShellCommand = {
  name: 'unset',
  summary: 'forget a variable',
  async run(ctx) {
    for (const name of ctx.args.filter((arg) => !arg.startsWith('-'))) {
      ctx.shell.vars.delete(name);
      ctx.shell.exported.delete(name);
    }
    return 0;
  },
};

export const exit: ShellCommand = {
  name: 'exit',
  summary: 'leave the lab shell (Ctrl+D does the same)',
  async run(ctx) {
    throw new ExitRequest(ctx.args[0] ? Number(ctx.args[0]) || 0 : ctx.shell.lastStatus);
  },
};

export const history: ShellCommand = {
  name: 'history',
  summary: 'the commands you typed (arrow keys bring them back)',
  async run(ctx) {
    const n = ctx.args[0] ? Number(ctx.args[0]) : Infinity;
    const all = ctx.shell.history;
    const start = Number.isFinite(n) ? Math.max(0, all.length - n) : 0;
    for (let i = start; i < all.length; i++) ctx.stdout.write(`${String(i + 1).padStart(5)}  ${all[i]}\n`);
    return 0;
  },
};

export const clear: ShellCommand = {
  name: 'clear',
  summary: 'clear the screen',
  async run(ctx) {
    ctx.stdout.write('\x1b[H\x1b[2J\x1b[3J');
    return 0;
  },
};

export const trueCommand: ShellCommand = { name: 'true', summary: 'do nothing, successfully', run: async () => 0 };
export const falseCommand: ShellCommand = { name: 'false', summary: 'do nothing, unsuccessfully', run: async () => 1 };

export const sleep: ShellCommand = {
  name: 'sleep',
  summary: 'wait some seconds (Ctrl+C stops it)',
  async run(ctx) {
    const seconds = Number(ctx.args[0]?.replace(/s$/, ''));
    if (!(seconds >= 0)) throw new UsageError('usage: sleep SECONDS');
    await new Promise<void>((done) => {
      const timer = setTimeout(done, seconds * 1000);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        done();
      });
    });
    return ctx.signal.aborted ? 130 : 0;
  },
};

export const read: ShellCommand = {
  name: 'read',
  summary: 'read one line of input into variables: while read line; do ...; done < file',
  async run(ctx) {
    const names = ctx.args.filter((arg) => !arg.startsWith('-'));
    // Lines are consumed from the input through a per-input cursor kept on the shell.
    const cursor = readCursors.get(ctx.stdin) ?? { lines: splitLines((await ctx.stdin.readAll()).toString('utf8')), next: 0 };
    readCursors.set(ctx.stdin, cursor);
    if (cursor.next >= cursor.lines.length) return 1;
    const line = cursor.lines[cursor.next++]!;
    const words = line.trim().split(/\s+/);
    (names.length ? names : ['REPLY']).forEach((name, i, all) => ctx.shell.setVar(name, i === all.length - 1 ? words.slice(i).join(' ') : (words[i] ?? '')));
    return 0;
  },
};
const readCursors = new WeakMap<object, { lines: string[]; next: number }>();

function evaluateTest(args: string[]): boolean {
  if (args[0] === '!') return !evaluateTest(args.slice(1));
  if (args.length === 0) return false;
  if (args.length === 1) return args[0] !== '';
  if (args.length === 2) {
    const [op, operand] = args as [string, string];
    const stat = () => {
      try {
        return statSync(operand);
      } catch {
        return undefined;
      }
    };
    switch (op) {
      case '-z': return operand === '';
      case '-n': return operand !== '';
      case '-e': return stat() !== undefined;
      case '-f': return stat()?.isFile() ?? false;
      case '-d': return stat()?.isDirectory() ?? false;
      case '-s': return (stat()?.size ?? 0) > 0;
      default: throw new UsageError(`${op}: unary operator expected`);
    }
  }
  const [a, op, b] = args as [string, string, string];
  const numbers = () => {
    if (!/^-?\d+$/.test(a) || !/^-?\d+$/.test(b)) throw new UsageError(`integer expression expected`);
    return [Number(a), Number(b)] as const;
  };
  switch (op) {
    case '=':
    case '==': return a === b;
    case '!=': return a !== b;
    case '-eq': return numbers()[0] === numbers()[1];
    case '-ne': return numbers()[0] !== numbers()[1];
    case '-lt': return numbers()[0] < numbers()[1];
    case '-le': return numbers()[0] <= numbers()[1];
    case '-gt': return numbers()[0] > numbers()[1];
    case '-ge': return numbers()[0] >= numbers()[1];
    default: throw new UsageError(`${op}: binary operator expected`);
  }
}

function testCommand(name: 'test' | '['): ShellCommand {
  return {
    name,
    summary: name === 'test' ? 'check a condition: test -f FILE, test "$a" = "$b"' : 'the same as test: [ -f FILE ]',
    async run(ctx: CommandContext) {
      let args = ctx.args;
      if (name === '[') {
        if (args.at(-1) !== ']') throw new UsageError("missing `]'");
        args = args.slice(0, -1);
      }
      // File tests resolve inside the lab like every other path.
      args = args.map((arg, i) => (i > 0 && /^-[efds]$/.test(args[i - 1]!) && args.length - i === 1 ? ctx.shell.paths.resolve(ctx.shell.cwd, arg) : arg));
      return evaluateTest(args) ? 0 : 1;
    },
  };
}

export const test = testCommand('test');
export const bracket = testCommand('[');
