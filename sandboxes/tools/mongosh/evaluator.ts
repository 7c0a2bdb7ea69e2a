/**
 * Runs rewritten shell code against the shell's globals. The first choice is a node:vm
 * context (the learner's variables live in their own global object). Where node:vm is not
 * available (a runtime that does not implement it), the same code runs through `with` over a
 * proxy of the globals; declarations still land in the scope because the rewriter writes
 * them as `__shellScope.name = ...`.
 */
import * as vm from 'node:vm';

export const SCOPE = '__shellScope';

export type EvaluatorKind = 'vm' | 'function';

export interface Evaluator {
  kind: EvaluatorKind;
  /** `body` is an async function body (async-rewrite.ts); resolves to its return value. */
  run(body: string, filename: string): Promise<unknown>;
}

function vmEvaluator(globals: Record<string, unknown>): Evaluator {
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
  if (prefer === 'vm') {
    try {
      return vmEvaluator(globals);
    } catch {
      // fall through: no usable node:vm here
    }
  }
  return functionEvaluator(globals);
}
