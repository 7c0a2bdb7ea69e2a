import { EJSON, type Document } from 'bson';
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten-core';
import { CommandError } from '../errors.ts';
import { scriptEngine } from './script-engine.ts';

/** Longest one document's $where may run (mongod's internalQueryJavaScriptFnTimeoutMillis is per call too). */
export const WHERE_MS_PER_DOCUMENT = 250;
/**
 * Longest all the $where calls (and compilations) of one command may run together: the
 * server answers one command at a time, so this is how long one query can hold up the others.
 */
export const WHERE_MS_PER_COMMAND = 2000;
/** Heap and stack of one isolate: a script that builds a huge string fails, the server does not. */
const MEMORY_LIMIT_BYTES = 32 * 1024 * 1024;
const STACK_LIMIT_BYTES = 512 * 1024;

/**
 * $where for one command: server-side JavaScript, the classic NoSQL-injection door. mongod
 * runs it only when security.javascriptEnabled is true (the default) and refuses it with its
 * own error when false, which is what the hardening lesson shows. When it runs, each query
 * gets a QuickJS isolate (see script-engine.ts) that sees a JSON copy of each document and
 * nothing of the server; every call stops after WHERE_MS_PER_DOCUMENT and the command's calls
 * together after WHERE_MS_PER_COMMAND. dispose() frees every isolate when the command ends.
 */
export class WhereScripts {
  private readonly isolates: { runtime: QuickJSRuntime; context: QuickJSContext; fn: QuickJSHandle }[] = [];
  private commandDeadline: number | undefined;
  private deadline = 0;

  constructor(
    readonly enabled: boolean,
    /** How mongod names the operation in "Executor error during find command". */
    private readonly operation: string,
  ) {}

  /** Compiles `code` (an expression or a function) into a predicate on documents. */
  compile(code: string): (doc: Document) => boolean {
    if (!this.enabled) throw new CommandError('Location6108304', 'no globalScriptEngine in $where parsing');
    const engine = scriptEngine();
    if (!engine) throw new Error('the script engine is not loaded: dispatch loads it before a command with $where runs');
    this.commandDeadline ??= Date.now() + WHERE_MS_PER_COMMAND;
    const runtime = engine.newRuntime();
    runtime.setMemoryLimit(MEMORY_LIMIT_BYTES);
    runtime.setMaxStackSize(STACK_LIMIT_BYTES);
    runtime.setInterruptHandler(() => Date.now() > this.deadline);
    const context = runtime.newContext();
    // A function, an expression, or (like mongod) statements that form a function body.
    const forms = /^\s*function\b/.test(code) ? [`(${code}\n)`] : [`(function () { return (${code}\n); })`, `(function () { ${code}\n})`];
    let compiled: QuickJSHandle | undefined;
    let message = '';
    for (const form of forms) {
      // `obj` and `this` are the document, as in mongod.
      const wrapper = `(function (__where) { return function (json) { var obj = JSON.parse(json); return !!__where.call(obj, obj); }; })(${form})`;
      this.deadline = this.commandDeadline;
      const result = context.evalCode(wrapper, 'where.js');
      if (!result.error) {
        compiled = result.value;
        break;
      }
      const failure = describe(context, result.error);
      result.error.dispose();
      message ||= failure;
      // Only a syntax error means "try the next form"; anything else (out of time) is final.
      if (!failure.startsWith('SyntaxError')) {
        message = failure;
        break;
      }
    }
    if (!compiled) {
      context.dispose();
      runtime.dispose();
      throw new CommandError('Location6108306', `$where compile error: ${message}`);
    }
    const isolate = { runtime, context, fn: compiled };
    this.isolates.push(isolate);
    return (doc) => this.call(isolate, doc);
  }

  private call(isolate: { context: QuickJSContext; fn: QuickJSHandle }, doc: Document): boolean {
    const { context } = isolate;
    const now = Date.now();
    if (now > this.commandDeadline!) throw this.timeLimit();
    this.deadline = Math.min(now + WHERE_MS_PER_DOCUMENT, this.commandDeadline!);
    const json = context.newString(EJSON.stringify(doc, { relaxed: true }));
    const result = context.callFunction(isolate.fn, context.undefined, json);
    json.dispose();
    if (result.error) {
      const message = describe(context, result.error);
      result.error.dispose();
      if (Date.now() > this.commandDeadline!) throw this.timeLimit();
      throw new CommandError('Location5038802', `${this.prefix()}error on invocation of $where function:\n${message}`);
    }
    const matched = context.dump(result.value) === true;
    result.value.dispose();
    return matched;
  }

  private prefix(): string {
    return this.operation === 'aggregate' ? 'PlanExecutor error during aggregation :: caused by :: ' : `Executor error during ${this.operation} command :: caused by :: `;
  }

  private timeLimit(): CommandError {
    return new CommandError('MaxTimeMSExpired', `${this.prefix()}operation exceeded time limit`);
  }

  dispose(): void {
    for (const { runtime, context, fn } of this.isolates.splice(0)) {
      fn.dispose();
      context.dispose();
      runtime.dispose();
    }
  }
}

/** "ReferenceError: 'process' is not defined", from an error value inside the isolate. */
function describe(context: QuickJSContext, error: QuickJSHandle): string {
  const value = context.dump(error) as { name?: string; message?: string } | string;
  if (value && typeof value === 'object') return `${value.name ?? 'Error'}: ${value.message ?? ''}`;
  return String(value);
}

function codeOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && (value as { _bsontype?: string })._bsontype === 'Code') return String((value as { code: string }).code);
  return undefined;
}

/** Does a command hold a $where anywhere (so the engine must be loaded before it runs)? */
export function mentionsWhere(value: unknown, depth = 0): boolean {
  if (!value || typeof value !== 'object' || depth > 200) return false;
  if ((value as { _bsontype?: string })._bsontype) return false;
  if (Array.isArray(value)) return value.some((v) => mentionsWhere(v, depth + 1));
  for (const [key, v] of Object.entries(value)) {
    if (key === '$where') return true;
    if (depth === 0 && key === 'documents') continue; // inserted documents are data, not filters
    if (mentionsWhere(v, depth + 1)) return true;
  }
  return false;
}

/** Replaces $where strings in a filter by functions mingo can call (or refuses them). */
export function prepareWhere(filter: Document, scripts: WhereScripts | undefined): Document {
  let changed = false;
  const out: Document = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$where') {
      const code = codeOf(value);
      if (code === undefined) throw new CommandError('BadValue', '$where got bad type');
      if (!scripts?.enabled) throw new CommandError('Location6108304', 'no globalScriptEngine in $where parsing');
      const test = scripts.compile(code);
      out[key] = function (this: Document) {
        return test(this);
      };
      changed = true;
    } else if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      const mapped = value.map((f) => (f && typeof f === 'object' ? prepareWhere(f as Document, scripts) : f));
      changed ||= mapped.some((f, i) => f !== value[i]);
      out[key] = mapped;
    } else {
      out[key] = value;
    }
  }
  return changed ? out : filter;
}
