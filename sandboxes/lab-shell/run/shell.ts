/**
 * The interpreter: runs a parsed command line against the shell's state (directory, variables,
 * last status) with every command in this process. Pipeline stages run concurrently over
 * in-memory pipes; Ctrl+C aborts the line's signal, which loops and commands check.
 */
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AndOr, Command, List, Pipeline, Redirect, Word } from '../syntax/ast.ts';
import { parseCommandLine } from '../syntax/parse.ts';
import { LabPaths } from '../lab-paths.ts';
import { UsageError, type CommandContext, type ShellCommand } from './command.ts';
import { Collector, EMPTY_INPUT, NULL_SINK, Pipe, bufferInput, type InputSource, type OutputSink } from './streams.ts';
import { evaluateArithmetic } from './arithmetic.ts';

export interface RunIO {
  stdin: InputSource;
  stdout: OutputSink;
  stderr: OutputSink;
  signal: AbortSignal;
  terminalInput?: NodeJS.ReadStream;
}

/** `exit` unwinds the line with this. */
export class ExitRequest extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

const INTERRUPTED = 130;

export class Shell {
  readonly paths: LabPaths;
  readonly commands = new Map<string, ShellCommand>();
  readonly vars = new Map<string, string>();
  readonly exported = new Set<string>();
  cwd: string;
  lastStatus = 0;
  history: string[] = [];
  #substitutionStatus: number | undefined;

  constructor(labDir: string, env: Record<string, string | undefined>) {
    this.paths = new LabPaths(labDir);
    this.cwd = this.paths.root;
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) continue;
      this.vars.set(name, value);
      this.exported.add(name);
    }
    this.setVar('HOME', this.paths.root, true);
    this.setVar('PWD', this.cwd, true);
  }

  register(command: ShellCommand): void {
    this.commands.set(command.name, command);
  }

  setVar(name: string, value: string, exported = false): void {
    this.vars.set(name, value);
    if (exported) this.exported.add(name);
  }

  env(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of this.exported) {
      const value = this.vars.get(name);
      if (value !== undefined) env[name] = value;
    }
    return env;
  }

  /** Parses and runs one command line (throws the parser's errors). */
  async runLine(line: string, io: RunIO): Promise<number> {
    const list = parseCommandLine(line);
    return this.runList(list, io);
  }

  async runList(list: List, io: RunIO): Promise<number> {
    let status = this.lastStatus;
    for (const item of list.items) {
      if (io.signal.aborted) return (this.lastStatus = INTERRUPTED);
      if (item.background) {
        // No job control in the lab: a trailing & runs the command in the foreground.
        io.stderr.write('note: the lab shell has no background jobs; running it in the foreground\n');
      }
      status = await this.#runAndOr(item.andOr, io);
    }
    return status;
  }

  async #runAndOr(andOr: AndOr, io: RunIO): Promise<number> {
    let status = await this.#runPipeline(andOr.first, io);
    for (const { op, pipeline } of andOr.rest) {
      if (io.signal.aborted) return (this.lastStatus = INTERRUPTED);
      if ((op === '&&') === (status === 0)) status = await this.#runPipeline(pipeline, io);
    }
    return status;
  }

  async #runPipeline(pipeline: Pipeline, io: RunIO): Promise<number> {
    const { commands } = pipeline;
    let status: number;
    if (commands.length === 1) {
      status = await this.#runCommand(commands[0]!, io);
    } else {
      const pipes = commands.slice(1).map(() => new Pipe());
      const runs = commands.map((command, i) => {
        const stageIO: RunIO = {
          stdin: i === 0 ? EMPTY_INPUT : pipes[i - 1]!,
          stdout: i === commands.length - 1 ? io.stdout : pipes[i]!,
          stderr: io.stderr,
          signal: io.signal,
        };
        return this.#runCommand(command, stageIO).finally(() => pipes[i]?.close());
      });
      const statuses = await Promise.all(runs);
      status = statuses.at(-1)!;
    }
    if (pipeline.negate) status = status === 0 ? 1 : 0;
    this.lastStatus = status;
    return status;
  }

  async #runCommand(command: Command, io: RunIO): Promise<number> {
    if (io.signal.aborted) return INTERRUPTED;
    let redirected: { io: RunIO; close(): void };
    try {
      redirected = await this.#applyRedirects(command.redirects, io);
    } catch (error) {
      io.stderr.write(`${describeError(error)}\n`);
      return (this.lastStatus = 1);
    }
    try {
      const status = await this.#runCommandBody(command, redirected.io);
      this.lastStatus = status;
      return status;
    } finally {
      redirected.close();
    }
  }

  async #runCommandBody(command: Command, io: RunIO): Promise<number> {
    switch (command.kind) {
      case 'simple':
        return this.#runSimple(command, io);
      case 'group':
        return this.runList(command.list, io);
      case 'if': {
        for (const clause of command.clauses) {
          const cond = await this.runList(clause.cond, { ...io, terminalInput: undefined });
          if (io.signal.aborted) return INTERRUPTED;
          if (cond === 0) return this.runList(clause.body, io);
        }
        return command.otherwise ? this.runList(command.otherwise, io) : 0;
      }
      case 'for': {
        const items = command.items ? await this.expandWords(command.items, io) : [];
        let status = 0;
        for (const item of items) {
          if (io.signal.aborted) return INTERRUPTED;
          this.setVar(command.name, item);
          status = await this.runList(command.body, io);
        }
        return status;
      }
      case 'while': {
        let status = 0;
        for (;;) {
          if (io.signal.aborted) return INTERRUPTED;
          const cond = await this.runList(command.cond, { ...io, terminalInput: undefined });
          if ((cond === 0) === command.until) return status;
          status = await this.runList(command.body, io);
          // A tight loop of in-process commands must still let Ctrl+C in.
          await new Promise((done) => setImmediate(done));
        }
      }
    }
  }

  async #runSimple(command: Extract<Command, { kind: 'simple' }>, io: RunIO): Promise<number> {
    this.#substitutionStatus = undefined;
    const argv = await this.expandWords(command.words, io);
    const assigned: Record<string, string> = {};
    for (const assign of command.assigns) assigned[assign.name] = await this.expandToString(assign.value, io);
    if (argv.length === 0) {
      for (const [name, value] of Object.entries(assigned)) this.setVar(name, value);
      // As in bash: `x=$(cmd)` has the status of the last command substitution.
      return this.#substitutionStatus ?? 0;
    }
    const [name, ...args] = argv as [string, ...string[]];
    const found = this.commands.get(name);
    if (!found) {
      io.stderr.write(`${name}: command not found (type help to see the lab's commands)\n`);
      return 127;
    }
    const ctx: CommandContext = {
      name,
      args,
      stdin: io.stdin,
      stdout: io.stdout,
      stderr: io.stderr,
      env: { ...this.env(), ...assigned, PWD: this.cwd },
      shell: this,
      signal: io.signal,
      terminalInput: io.terminalInput,
    };
    try {
      return await found.run(ctx);
    } catch (error) {
      if (error instanceof ExitRequest) throw error;
      if (error instanceof UsageError) {
        io.stderr.write(`${name}: ${error.message}\n`);
        return 2;
      }
      io.stderr.write(`${name}: ${describeError(error)}\n`);
      return 1;
    }
  }

  async #applyRedirects(redirects: Redirect[], io: RunIO): Promise<{ io: RunIO; close(): void }> {
    if (redirects.length === 0) return { io, close: () => undefined };
    const fds: [InputSource, OutputSink, OutputSink] = [io.stdin, io.stdout, io.stderr];
    let terminalInput = io.terminalInput;
    const opened: number[] = [];
    const close = (): void => {
      for (const fd of opened.splice(0)) closeSync(fd);
    };
    try {
      for (const redirect of redirects) {
        const target = await this.expandToString(redirect.target, io);
        if (redirect.op === '<') {
          terminalInput = undefined;
          fds[0] = target === '/dev/null' ? EMPTY_INPUT : bufferInput(readFileSync(this.paths.resolve(this.cwd, target)));
          continue;
        }
        if (redirect.op === '>&') {
          const from = Number(target);
          if (target === '-' || !(from === 1 || from === 2)) throw new Error(`${target}: the lab shell redirects only to 1 and 2`);
          if (redirect.fd === 1 || redirect.fd === 2) fds[redirect.fd] = fds[from as 1 | 2];
          continue;
        }
        let sink: OutputSink;
        if (target === '/dev/null') sink = NULL_SINK;
        else if (target === '/dev/stderr') sink = fds[2];
        else if (target === '/dev/stdout') sink = fds[1];
        else {
          const fd = openSync(this.paths.resolve(this.cwd, target), redirect.op === '>>' ? 'a' : 'w');
          opened.push(fd);
          sink = { write: (chunk) => void (typeof chunk === 'string' ? writeSync(fd, chunk) : writeSync(fd, chunk)) };
        }
        if (redirect.op === '&>') {
          fds[1] = sink;
          fds[2] = sink;
        } else if (redirect.fd === 1 || redirect.fd === 2) fds[redirect.fd] = sink;
        else throw new Error(`${redirect.fd}>: the lab shell has file descriptors 1 and 2 only`);
      }
    } catch (error) {
      close();
      throw error;
    }
    return { io: { ...io, stdin: fds[0], stdout: fds[1], stderr: fds[2], terminalInput }, close };
  }

  // ---- expansion ---------------------------------------------------------------------

  async expandToString(word: Word, io: RunIO): Promise<string> {
    const fields = await this.#expandWord(word, io, false);
    return fields.map((field) => field.text).join(' ');
  }

  async expandWords(words: Word[], io: RunIO): Promise<string[]> {
    const out: string[] = [];
    for (const word of words) {
      for (const field of await this.#expandWord(word, io, true)) {
        const matches = field.glob ? this.#glob(field.pattern) : [];
        if (matches.length) out.push(...matches);
        else out.push(field.text);
      }
    }
    return out;
  }

  /** A word's fields: its text, and a glob pattern where only unquoted characters are special. */
  async #expandWord(word: Word, io: RunIO, split: boolean): Promise<{ text: string; pattern: string; glob: boolean }[]> {
    type Field = { text: string; pattern: string; glob: boolean; started: boolean };
    const fields: Field[] = [{ text: '', pattern: '', glob: false, started: false }];
    const current = (): Field => fields.at(-1)!;
    const addQuoted = (text: string): void => {
      const field = current();
      field.text += text;
      field.pattern += text.replace(/[*?[\]\\]/g, '\\$&');
      field.started = true;
    };
    const addUnquoted = (text: string, splitHere: boolean): void => {
      const pieces = splitHere && split ? text.split(/[ \t\n]+/) : [text];
      pieces.forEach((piece, i) => {
        if (i > 0) fields.push({ text: '', pattern: '', glob: false, started: false });
        const field = current();
        field.text += piece;
        field.pattern += piece;
        if (/[*?[]/.test(piece)) field.glob = true;
        if (piece) field.started = true;
      });
    };
    for (const part of word.parts) {
      switch (part.kind) {
        case 'text':
          if (part.quoted) addQuoted(part.text);
          else addUnquoted(part.text, false);
          break;
        case 'tilde':
          addQuoted(this.paths.root);
          break;
        case 'param': {
          const value = await this.#paramValue(part, io);
          if (part.quoted) addQuoted(value);
          else addUnquoted(value, true);
          break;
        }
        case 'command': {
          const output = await this.captureOutput(part.list, io);
          if (part.quoted) addQuoted(output);
          else addUnquoted(output, true);
          break;
        }
        case 'arith': {
          const expr = await this.expandToString(part.expr, io);
          const value = String(evaluateArithmetic(expr, (name) => this.vars.get(name)));
          if (part.quoted) addQuoted(value);
          else addUnquoted(value, false);
          break;
        }
      }
    }
    return fields.filter((field) => field.started || field.text !== '').map(({ text, pattern, glob }) => ({ text, pattern, glob }));
  }

  async #paramValue(part: Extract<Word['parts'][number], { kind: 'param' }>, io: RunIO): Promise<string> {
    const value = this.#special(part.name);
    if (part.op === '#') return String((value ?? '').length);
    if (!part.op) return value ?? '';
    const unset = part.op.startsWith(':') ? !value : value === undefined;
    if (part.op === ':+') return unset ? '' : await this.expandToString(part.arg!, io);
    if (!unset) return value!;
    const fallback = await this.expandToString(part.arg!, io);
    if (part.op === ':=') this.setVar(part.name, fallback);
    return fallback;
  }

  #special(name: string): string | undefined {
    if (name === '?') return String(this.lastStatus);
    if (name === '$') return String(process.pid);
    if (name === '#') return '0';
    if (name === '0') return 'lab-shell';
    if (name === 'PWD') return this.cwd;
    if (/^[1-9@*!]$/.test(name)) return '';
    return this.vars.get(name);
  }

  /** `$(...)`: the list's output with trailing newlines removed. */
  async captureOutput(list: List, io: RunIO): Promise<string> {
    const collector = new Collector();
    this.#substitutionStatus = await this.runList(list, { stdin: EMPTY_INPUT, stdout: collector, stderr: io.stderr, signal: io.signal });
    return collector.text().replace(/\n+$/, '');
  }

  /** Paths matching a glob pattern (relative or absolute), sorted; [] when none. */
  #glob(pattern: string): string[] {
    const absolute = pattern.startsWith('/');
    const segments = pattern.split('/').filter((segment, i) => segment !== '' || i === 0);
    let bases: { shown: string; real: string }[] = [{ shown: absolute ? '/' : '', real: absolute ? '/' : this.cwd }];
    for (const segment of segments.slice(absolute ? 1 : 0)) {
      const next: typeof bases = [];
      const isPattern = /(^|[^\\])[*?[]/.test(segment);
      for (const base of bases) {
        if (!isPattern) {
          const name = segment.replace(/\\(.)/g, '$1');
          next.push({ shown: base.shown + (base.shown && !base.shown.endsWith('/') ? '/' : '') + name, real: join(base.real, name) });
          continue;
        }
        if (!this.paths.contains(base.real)) continue;
        let names: string[];
        try {
          names = readdirSync(base.real);
        } catch {
          continue;
        }
        const regex = globToRegExp(segment);
        for (const name of names.sort()) {
          if (name.startsWith('.') && !segment.startsWith('.')) continue;
          if (regex.test(name)) next.push({ shown: base.shown + (base.shown && !base.shown.endsWith('/') ? '/' : '') + name, real: join(base.real, name) });
        }
      }
      bases = next;
    }
    return bases
      .filter((base) => {
        try {
          statSync(base.real);
          return true;
        } catch {
          return false;
        }
      })
      .map((base) => base.shown);
  }
}

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) source += escapeRegExp(glob[++i]!);
    else if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) source += '\\[';
      else {
        let set = glob.slice(i + 1, end);
        if (set.startsWith('!')) set = `^${set.slice(1)}`;
        source += `[${set.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 's');
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const path = (error as NodeJS.ErrnoException).path;
  const shown = path ? path : '';
  switch (code) {
    case 'ENOENT':
      return `${shown}: No such file or directory`;
    case 'EISDIR':
      return `${shown}: Is a directory`;
    case 'ENOTDIR':
      return `${shown}: Not a directory`;
    case 'EACCES':
      return `${shown}: Permission denied`;
    case 'EEXIST':
      return `${shown}: File exists`;
    case 'ENOTEMPTY':
      return `${shown}: Directory not empty`;
    default:
      return error.message;
  }
}
