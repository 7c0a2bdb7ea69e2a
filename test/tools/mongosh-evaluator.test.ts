/**
 * Inside WebContainer (process.versions.webcontainer set) the mongosh-style evaluator never
 * uses node:vm; the function evaluator runs the same shell code. The marker is forced here,
 * and node:vm is replaced by a module whose every function fails the test.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEvaluator } from '../../sandboxes/tools/mongosh/evaluator.ts';
import { rewriteForShell } from '../../sandboxes/tools/mongosh/async-rewrite.ts';

const versions = process.versions as Record<string, string | undefined>;

afterEach(() => {
  delete versions.webcontainer;
  vi.restoreAllMocks();
});

describe('the mongosh evaluator where process.versions.webcontainer is set', () => {
  it('runs declarations, functions and awaits without ever loading node:vm', async () => {
    Object.defineProperty(versions, 'webcontainer', { value: 'test', configurable: true, enumerable: true, writable: true });
    const loaded: string[] = [];
    const original = process.getBuiltinModule.bind(process);
    vi.spyOn(process, 'getBuiltinModule').mockImplementation(((id: string) => {
      loaded.push(id);
      return original(id as 'node:fs');
    }) as typeof process.getBuiltinModule);
    const globals: Record<string, unknown> = { answer: async () => 42, print: () => undefined };
    const evaluator = createEvaluator(globals, 'vm');
    expect(evaluator.kind).toBe('function');
    const run = async (source: string) => evaluator.run(rewriteForShell(source), 'shell');
    await run('const x = 2');
    await run('function twice(n) { return n * 2 }');
    expect(await run('twice(x) + (await answer())')).toBe(46);
    await expect(run('nosuch')).rejects.toThrow(/nosuch is not defined/);
    expect(loaded.filter((id) => /vm/.test(id))).toEqual([]);
  });

  it('elsewhere the vm evaluator is still the first choice', () => {
    expect(createEvaluator({}, 'vm').kind).toBe('vm');
  });
});
