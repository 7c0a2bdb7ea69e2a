/**
 * A recursive-descent parser for the bash subset the lessons and solutions use: lists with
 * `;` `&&` `||` `&` and newlines, pipelines, `!`, redirections (`>` `>>` `<` `2>&1` `&>`),
 * quoting, `$VAR` `${VAR}` `${VAR:-x}` `$(...)` backticks `$((...))` `~`, assignments,
 * `if/elif/else/fi`, `for/in/do/done`, `while`/`until`, `{ ...; }` and `( ... )`.
 *
 * Hand-written because no well-kept small parser exists for this (README.md says what was
 * evaluated): just-bash's is good but comes with an interpreter several times our budget.
 * Incomplete input (an open quote, `if` without `fi`, a trailing `|`) throws IncompleteInput
 * so the terminal can ask for the next line, as bash does with its `> ` prompt.
 */
import type { AndOr, Assignment, Command, List, Pipeline, Redirect, Word, WordPart } from './ast.ts';

export class ShellSyntaxError extends Error {
  override name = 'ShellSyntaxError';
}

/** The input ends in the middle of something: ask for another line. */
export class IncompleteInput extends ShellSyntaxError {
  override name = 'IncompleteInput';
}

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'in', 'while', 'until', 'do', 'done', '{', '}', '!']);
/** Words that end the list being parsed (the caller expects one of them). */
const LIST_ENDERS = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', '}']);
const META = new Set(['|', '&', ';', '<', '>', '(', ')', ' ', '\t', '\n']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseCommandLine(source: string): List {
  const parser = new Parser(source);
  const list = parser.parseList([]);
  parser.skipSpace(true);
  if (!parser.atEnd()) throw new ShellSyntaxError(`syntax error near unexpected token \`${parser.peekToken()}'`);
  return list;
}

/**
 * Whether `source` stops in the middle of a command (an open quote, `if` without `fi`, a
 * trailing `|`), so the shell must read another line before running it. A line with any other
 * syntax error is complete: running it reports the error.
 */
export function needsMoreInput(source: string): boolean {
  try {
    parseCommandLine(source);
    return false;
  } catch (error) {
    return error instanceof IncompleteInput;
  }
}

class Parser {
  #src: string;
  #pos = 0;

  constructor(source: string) {
    this.#src = source;
  }

  atEnd(): boolean {
    return this.#pos >= this.#src.length;
  }

  /** Skips blanks, comments and line continuations; newlines too when asked. */
  skipSpace(newlines = false): void {
    for (;;) {
      const c = this.#src[this.#pos];
      if (c === ' ' || c === '\t' || c === '\r') this.#pos++;
      else if (c === '\\' && this.#src[this.#pos + 1] === '\n') this.#pos += 2;
      else if (c === '#') {
        while (this.#pos < this.#src.length && this.#src[this.#pos] !== '\n') this.#pos++;
      } else if (newlines && c === '\n') this.#pos++;
      else return;
    }
  }

  peekToken(): string {
    const rest = this.#src.slice(this.#pos);
    return /^(&&|\|\||;;|[|&;()<>]|\n)/.exec(rest)?.[1]?.replace('\n', 'newline') ?? rest.split(/\s/)[0] ?? '';
  }

  #startsWith(text: string): boolean {
    return this.#src.startsWith(text, this.#pos);
  }

  /** The reserved word at the cursor (a plain unquoted word), without consuming it. */
  #peekReserved(): string | undefined {
    this.skipSpace();
    const match = /^(\S+?)(?=[\s;|&()<>]|$)/.exec(this.#src.slice(this.#pos));
    return match && RESERVED.has(match[1]!) ? match[1] : undefined;
  }

  #expectReserved(word: string): void {
    this.skipSpace(true);
    if (this.#peekReserved() !== word) {
      if (this.atEnd()) throw new IncompleteInput(`expected \`${word}'`);
      throw new ShellSyntaxError(`syntax error near unexpected token \`${this.peekToken()}' (expected \`${word}')`);
    }
    this.#pos += word.length;
  }

  /** A list up to the end, a `)` or one of `enders`. */
  parseList(enders: string[]): List {
    const items: List['items'] = [];
    for (;;) {
      this.skipSpace(true);
      if (this.atEnd() || this.#startsWith(')')) break;
      const reserved = this.#peekReserved();
      if (reserved && LIST_ENDERS.has(reserved)) {
        if (enders.includes(reserved)) break;
        throw new ShellSyntaxError(`syntax error near unexpected token \`${reserved}'`);
      }
      const andOr = this.#parseAndOr();
      this.skipSpace();
      let background = false;
      if (this.#startsWith('&') && !this.#startsWith('&&') && !this.#startsWith('&>')) {
        this.#pos++;
        background = true;
      } else if (this.#startsWith(';') && !this.#startsWith(';;')) this.#pos++;
      else if (this.#startsWith('\n')) this.#pos++;
      else if (!this.atEnd() && !this.#startsWith(')') && !LIST_ENDERS.has(this.#peekReserved() ?? '')) {
        throw new ShellSyntaxError(`syntax error near unexpected token \`${this.peekToken()}'`);
      }
      items.push({ andOr, background });
    }
    return { items };
  }

  #parseAndOr(): AndOr {
    const first = this.#parsePipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      this.skipSpace();
      const op = this.#startsWith('&&') ? '&&' : this.#startsWith('||') ? '||' : undefined;
      if (!op) return { first, rest };
      this.#pos += 2;
      this.skipSpace(true);
      if (this.atEnd()) throw new IncompleteInput(`a command must follow ${op}`);
      rest.push({ op, pipeline: this.#parsePipeline() });
    }
  }

  #parsePipeline(): Pipeline {
    let negate = false;
    if (this.#peekReserved() === '!') {
      this.#pos++;
      negate = true;
    }
    const commands = [this.#parseCommand()];
    for (;;) {
      this.skipSpace();
      if (!this.#startsWith('|') || this.#startsWith('||')) return { negate, commands };
      this.#pos++;
      this.skipSpace(true);
      if (this.atEnd()) throw new IncompleteInput('a command must follow |');
      commands.push(this.#parseCommand());
    }
  }

  #parseCommand(): Command {
    this.skipSpace();
    const reserved = this.#peekReserved();
    let command: Command;
    if (reserved === 'if') command = this.#parseIf();
    else if (reserved === 'for') command = this.#parseFor();
    else if (reserved === 'while' || reserved === 'until') command = this.#parseWhile(reserved === 'until');
    else if (reserved === '{') {
      this.#pos++;
      const list = this.parseList(['}']);
      this.#expectReserved('}');
      command = { kind: 'group', list, subshell: false, redirects: [] };
    } else if (this.#startsWith('(')) {
      this.#pos++;
      const list = this.parseList([]);
      this.skipSpace(true);
      if (this.atEnd()) throw new IncompleteInput("expected `)'");
      if (!this.#startsWith(')')) throw new ShellSyntaxError(`syntax error near unexpected token \`${this.peekToken()}'`);
      this.#pos++;
      command = { kind: 'group', list, subshell: true, redirects: [] };
    } else if (reserved && reserved !== '!') {
      throw new ShellSyntaxError(`syntax error near unexpected token \`${reserved}'`);
    } else return this.#parseSimple();
    // Redirections after a compound command apply to all of it.
    for (;;) {
      this.skipSpace();
      const redirect = this.#tryRedirect();
      if (!redirect) return command;
      command.redirects.push(redirect);
    }
  }

  #parseIf(): Command {
    this.#pos += 2;
    const clauses: { cond: List; body: List }[] = [];
    let otherwise: List | undefined;
    for (;;) {
      const cond = this.parseList(['then']);
      this.#expectReserved('then');
      const body = this.parseList(['elif', 'else', 'fi']);
      clauses.push({ cond, body });
      this.skipSpace(true);
      const next = this.#peekReserved();
      if (next === 'elif') {
        this.#pos += 4;
        continue;
      }
      if (next === 'else') {
        this.#pos += 4;
        otherwise = this.parseList(['fi']);
      }
      this.#expectReserved('fi');
      return { kind: 'if', clauses, otherwise, redirects: [] };
    }
  }

  #parseFor(): Command {
    this.#pos += 3;
    this.skipSpace();
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.#src.slice(this.#pos))?.[0];
    if (!name) {
      if (this.atEnd()) throw new IncompleteInput('for needs a variable name');
      throw new ShellSyntaxError("syntax error: `for' needs a variable name");
    }
    this.#pos += name.length;
    this.skipSpace();
    let items: Word[] | undefined;
    if (this.#peekReserved() === 'in') {
      this.#pos += 2;
      items = [];
      for (;;) {
        this.skipSpace();
        if (this.atEnd()) throw new IncompleteInput('for needs do ... done');
        if (this.#startsWith(';') || this.#startsWith('\n')) {
          this.#pos++;
          break;
        }
        items.push(this.#parseWord());
      }
    } else if (this.#startsWith(';')) this.#pos++;
    this.#expectReserved('do');
    const body = this.parseList(['done']);
    this.#expectReserved('done');
    return { kind: 'for', name, items, body, redirects: [] };
  }

  #parseWhile(until: boolean): Command {
    this.#pos += until ? 5 : 5;
    const cond = this.parseList(['do']);
    this.#expectReserved('do');
    const body = this.parseList(['done']);
    this.#expectReserved('done');
    return { kind: 'while', until, cond, body, redirects: [] };
  }

  #parseSimple(): Command {
    const assigns: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      this.skipSpace();
      if (this.atEnd()) break;
      const c = this.#src[this.#pos]!;
      const redirect = this.#tryRedirect();
      if (redirect) {
        redirects.push(redirect);
        continue;
      }
      if (META.has(c)) break;
      if (words.length === 0) {
        const assign = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(this.#src.slice(this.#pos));
        if (assign) {
          this.#pos += assign[0].length;
          const value = this.#atWordEnd() ? { parts: [] } : this.#parseWord();
          assigns.push({ name: assign[1]!, value });
          continue;
        }
      }
      words.push(this.#parseWord());
    }
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0) {
      if (this.atEnd()) throw new IncompleteInput('a command was expected');
      throw new ShellSyntaxError(`syntax error near unexpected token \`${this.peekToken()}'`);
    }
    return { kind: 'simple', assigns, words, redirects };
  }

  #atWordEnd(): boolean {
    return this.atEnd() || META.has(this.#src[this.#pos]!);
  }

  #tryRedirect(): Redirect | undefined {
    const match = /^(\d?)(>>|>&|>\||&>|>|<&|<)/.exec(this.#src.slice(this.#pos));
    if (!match) return undefined;
    this.#pos += match[0].length;
    const raw = match[2]!;
    const op: Redirect['op'] = raw === '>|' ? '>' : raw === '<&' ? '>&' : (raw as Redirect['op']);
    const fd = match[1] ? Number(match[1]) : op === '<' ? 0 : 1;
    this.skipSpace();
    if (this.atEnd()) throw new ShellSyntaxError("syntax error near unexpected token `newline'");
    if (META.has(this.#src[this.#pos]!)) throw new ShellSyntaxError(`syntax error near unexpected token \`${this.peekToken()}'`);
    return { fd, op, target: this.#parseWord() };
  }

  /** One word: text up to an unquoted blank or operator, with its quotes and expansions. */
  #parseWord(): Word {
    const parts: WordPart[] = [];
    const text = (t: string, quoted: boolean): void => {
      const last = parts.at(-1);
      if (last?.kind === 'text' && last.quoted === quoted) last.text += t;
      else parts.push({ kind: 'text', text: t, quoted });
    };
    if (this.#src[this.#pos] === '~' && /^~(?=\/|$|[\s;|&()<>])/.test(this.#src.slice(this.#pos))) {
      this.#pos++;
      parts.push({ kind: 'tilde' });
    }
    while (!this.#atWordEnd()) {
      const c = this.#src[this.#pos]!;
      if (c === "'") {
        const end = this.#src.indexOf("'", this.#pos + 1);
        if (end < 0) throw new IncompleteInput('unterminated quote');
        text(this.#src.slice(this.#pos + 1, end), true);
        this.#pos = end + 1;
      } else if (c === '"') {
        this.#pos++;
        this.#parseDoubleQuoted(parts, text);
      } else if (c === '\\') {
        const next = this.#src[this.#pos + 1];
        if (next === undefined) throw new IncompleteInput('line continues');
        this.#pos += 2;
        if (next !== '\n') text(next, true);
      } else if (c === '$') {
        const part = this.#parseDollar(false);
        if (part) parts.push(part);
        else text('$', false);
      } else if (c === '`') {
        parts.push({ kind: 'command', list: this.#parseBackticks(), quoted: false });
      } else {
        text(c, false);
        this.#pos++;
      }
    }
    return { parts };
  }

  #parseDoubleQuoted(parts: WordPart[], text: (t: string, quoted: boolean) => void): void {
    // An empty "" still makes a word.
    text('', true);
    for (;;) {
      if (this.atEnd()) throw new IncompleteInput('unterminated quote');
      const c = this.#src[this.#pos]!;
      if (c === '"') {
        this.#pos++;
        return;
      }
      if (c === '\\') {
        const next = this.#src[this.#pos + 1];
        if (next === undefined) throw new IncompleteInput('unterminated quote');
        this.#pos += 2;
        if (next === '\n') continue;
        text('$`"\\'.includes(next) ? next : `\\${next}`, true);
      } else if (c === '$') {
        const part = this.#parseDollar(true);
        if (part) parts.push(part);
        else text('$', true);
      } else if (c === '`') {
        parts.push({ kind: 'command', list: this.#parseBackticks(), quoted: true });
      } else {
        text(c, true);
        this.#pos++;
      }
    }
  }

  /** `$...` at the cursor; undefined (nothing consumed but the `$`) when it is a plain `$`. */
  #parseDollar(quoted: boolean): WordPart | undefined {
    const rest = this.#src.slice(this.#pos + 1);
    if (rest.startsWith('((')) {
      this.#pos += 3;
      const start = this.#pos;
      let depth = 0;
      for (;;) {
        if (this.atEnd()) throw new IncompleteInput('unterminated $((');
        const c = this.#src[this.#pos]!;
        if (c === '(') depth++;
        else if (c === ')') {
          if (depth === 0 && this.#src[this.#pos + 1] === ')') break;
          depth--;
        }
        this.#pos++;
      }
      const inner = new Parser(this.#src.slice(start, this.#pos)).#parseArithWord();
      this.#pos += 2;
      return { kind: 'arith', expr: inner, quoted };
    }
    if (rest.startsWith('(')) {
      this.#pos += 2;
      const list = this.parseList([]);
      this.skipSpace(true);
      if (this.atEnd()) throw new IncompleteInput('unterminated $(');
      this.#pos++; // ')'
      return { kind: 'command', list, quoted };
    }
    if (rest.startsWith('{')) {
      const end = this.#src.indexOf('}', this.#pos + 2);
      if (end < 0) throw new IncompleteInput('unterminated ${');
      const body = this.#src.slice(this.#pos + 2, end);
      this.#pos = end + 1;
      if (body.startsWith('#') && NAME.test(body.slice(1))) return { kind: 'param', name: body.slice(1), quoted, op: '#' };
      const match = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?#$@*])(?:(:-|-|:=|:\+)(.*))?$/s.exec(body);
      if (!match) throw new ShellSyntaxError(`\${${body}}: bad substitution`);
      const arg = match[2] ? new Parser(match[3] ?? '').#parseArgWord() : undefined;
      return { kind: 'param', name: match[1]!, quoted, op: match[2] as ':-' | undefined, arg };
    }
    const name = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?#$@*!])/.exec(rest)?.[1];
    if (!name) {
      this.#pos++;
      return undefined;
    }
    this.#pos += 1 + name.length;
    return { kind: 'param', name, quoted };
  }

  /** The word of `${x:-word}` (everything, blanks included). */
  #parseArgWord(): Word {
    const parts: WordPart[] = [];
    while (!this.atEnd()) {
      const c = this.#src[this.#pos]!;
      if (c === '$') {
        const part = this.#parseDollar(true);
        parts.push(part ?? { kind: 'text', text: '$', quoted: true });
      } else if (c === "'" || c === '"') {
        const end = this.#src.indexOf(c, this.#pos + 1);
        parts.push({ kind: 'text', text: this.#src.slice(this.#pos + 1, end < 0 ? undefined : end), quoted: true });
        this.#pos = end < 0 ? this.#src.length : end + 1;
      } else {
        parts.push({ kind: 'text', text: c, quoted: true });
        this.#pos++;
      }
    }
    return { parts };
  }

  /** The inside of `$((...))`: text with `$` expansions, evaluated later. */
  #parseArithWord(): Word {
    return this.#parseArgWord();
  }

  #parseBackticks(): List {
    let end = this.#pos + 1;
    let inner = '';
    for (;;) {
      const c = this.#src[end];
      if (c === undefined) throw new IncompleteInput('unterminated `');
      if (c === '`') break;
      if (c === '\\' && '$`\\'.includes(this.#src[end + 1] ?? '')) {
        inner += this.#src[end + 1];
        end += 2;
        continue;
      }
      inner += c;
      end++;
    }
    this.#pos = end + 1;
    return parseCommandLine(inner);
  }
}
