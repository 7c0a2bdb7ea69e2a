import { createContext, Script } from 'node:vm';
import { EJSON, type Document } from 'bson';
import { CommandError } from '../errors.ts';

/**
 * $where: server-side JavaScript, the classic NoSQL-injection door. mongod runs it only when
 * security.javascriptEnabled is true (the default) and refuses it with its own error when
 * false, which is what the hardening lesson shows. The code runs in a separate vm context
 * with a time limit per document and sees a JSON copy of the document, never server objects.
 */
const TIME_LIMIT_MS = 100;

function compileWhere(code: string): (doc: Document) => boolean {
  const source = /^\s*function\b/.test(code) ? `(${code})` : `(function () { return (${code}); })`;
  const context = createContext({ __json: '' });
  try {
    new Script(`var __f = ${source};`).runInContext(context, { timeout: TIME_LIMIT_MS });
  } catch (error) {
    throw new CommandError('BadValue', `SyntaxError in $where: ${(error as Error).message}`);
  }
  const call = new Script('(function(){ var obj = JSON.parse(__json); return !!__f.call(obj, obj); })()');
  return (doc) => {
    context.__json = EJSON.stringify(doc, { relaxed: true });
    try {
      return call.runInContext(context, { timeout: TIME_LIMIT_MS }) === true;
    } catch (error) {
      throw new CommandError('BadValue', `Executor error during find command :: caused by :: ${(error as Error).message}`);
    }
  };
}

function codeOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && (value as { _bsontype?: string })._bsontype === 'Code') return String((value as { code: string }).code);
  return undefined;
}

/** Replaces $where strings in a filter by functions mingo can call (or refuses them). */
export function prepareWhere(filter: Document, javascriptEnabled: boolean): Document {
  let changed = false;
  const out: Document = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$where') {
      const code = codeOf(value);
      if (code === undefined) throw new CommandError('BadValue', '$where got bad type');
      if (!javascriptEnabled) throw new CommandError('BadValue', 'no globalScriptEngine in $where parsing');
      const test = compileWhere(code);
      out[key] = function (this: Document) {
        return test(this);
      };
      changed = true;
    } else if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      const mapped = value.map((f) => (f && typeof f === 'object' ? prepareWhere(f as Document, javascriptEnabled) : f));
      changed ||= mapped.some((f, i) => f !== value[i]);
      out[key] = mapped;
    } else {
      out[key] = value;
    }
  }
  return changed ? out : filter;
}
