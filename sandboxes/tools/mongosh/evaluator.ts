/**
 * Runs rewritten shell code against the shell's globals. The first choice is a node:vm
 * context (the learner's variables live in their own global object). Inside WebContainer
 * (`process.versions.webcontainer` set) node:vm is never touched: its contexts are known to
 * misbehave there (webcontainer-core #1191, #1484), and isolation is not the point (the
 * learner runs their own code in their own lab). There, and wherever node:vm is missing, the
 * same code runs through `with` over a proxy of the globals in an async function;
 * declarations still land in the scope because the rewriter writes them as
 * `__shellScope.name = ...`.
 */
import type * as Vm from 'node:vm';

export const SCOPE = '__shellScope';

export type EvaluatorKind = 'vm' | 'function';

export interface Evaluator {
  kind: EvaluatorKind;
  /** `body` is an async function body (async-rewrite.ts); resolves to its return value. */
  run(body: string, filename: string): Promise<unknown>;
}

/** True inside WebContainer, where nothing may use node:vm. */
export const vmForbidden = (): boolean => Boolean((process.versions as Record<string, string | undefined>).webcontainer);

function vmEvaluator(globals: Record<string, unknown>): Evaluator {
  // Loaded only here, so a runtime that forbids or lacks node:vm never loads it.
  const vm = process.getBuiltinModule('node:vm') as typeof Vm | undefined;
  if (!vm) throw new Error('node:vm is not available');
  const context = vm.createContext(globals);
  globals[SCOPE] = vm.runInContext('globalThis', context);
  return {
    kind: 'vm',
    run: (body, filename) => vm.runInContext(`(async () => {\n${body}\n})()`, context, { filename }) as Promise<unknown>,
  };
}

function functionEvaluator(globals: Record<string, unknown>): Evaluator {
  globals[SCOPE] = globals;
  // Only names the scope holds are taken from it; everything else (Math, JSON...) resolves
  // as usual, and an unknown name is still a ReferenceError.
  const scope = new Proxy(globals, {
    has: (target, key) => typeof key === 'string' && key in target,
    get: (target, key) => (key === Symbol.unscopables ? undefined : Reflect.get(target, key)),
  });
  return {
    kind: 'function',
    run: (body) => {
      const fn = new Function('__shellWith', `with (__shellWith) { return (async () => {\n${body}\n})(); }`) as (scope: object) => Promise<unknown>;
      return fn(scope);
    },
  };
}

export function createEvaluator(globals: Record<string, unknown>, prefer: EvaluatorKind = 'vm'): Evaluator {
  if (prefer === 'vm' && !vmForbidden()) {
    try {
      return vmEvaluator(globals);
    } catch {
      // fall through: no usable node:vm here
    }
  }
  return functionEvaluator(globals);
}
