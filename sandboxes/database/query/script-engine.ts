import type { QuickJSWASMModule } from 'quickjs-emscripten-core';

/**
 * QuickJS compiled to WebAssembly: the engine $where runs in. Why not node:vm: a vm context
 * is not a security boundary (the host's Function is one `constructor` away) and it is
 * unreliable in WebContainer. A WebAssembly isolate has no path to the host: no process, no
 * require, its own heap with a memory limit, and an interrupt handler for time.
 *
 * Loaded with a dynamic import on the first $where, so the lab bundle keeps it in a chunk
 * of its own and a lab that never runs server-side JavaScript never loads it. The
 * single-file variant carries its WebAssembly inside the module: nothing to locate on disk.
 */
let loaded: QuickJSWASMModule | undefined;
let loading: Promise<QuickJSWASMModule> | undefined;

export function loadScriptEngine(): Promise<QuickJSWASMModule> {
  loading ??= (async () => {
    const [{ newQuickJSWASMModuleFromVariant }, variant] = await Promise.all([
      import('quickjs-emscripten-core'),
      import('@jitl/quickjs-singlefile-cjs-release-sync'),
    ]);
    // The CommonJS variant arrives as the module's default export.
    const quickjs = (variant as { default?: unknown }).default ?? variant;
    loaded = await newQuickJSWASMModuleFromVariant(quickjs as Parameters<typeof newQuickJSWASMModuleFromVariant>[0]);
    return loaded;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** The engine, once loadScriptEngine() has finished. */
export function scriptEngine(): QuickJSWASMModule | undefined {
  return loaded;
}
