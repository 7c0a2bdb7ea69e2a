/**
 * Astro components rendered by Astro itself, for tests: the project's own Vite config in
 * middleware mode loads a component from its source path, and Astro's container API renders it
 * to HTML with props and slots, as a page would.
 */
import { createServer } from 'vite';
import { getViteConfig } from 'astro/config';
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { ROOT } from './lesson-files.ts';

export type AstroComponent = Parameters<AstroContainer['renderToString']>[0];

export interface AstroRenderer {
  container: AstroContainer;
  /** A component by its path from the project root, e.g. `/src/components/lesson/Std.astro`. */
  load(path: string): Promise<AstroComponent>;
  /** Any module through the same Vite server (e.g. a renderer Astro needs for MDX). */
  module(path: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startAstroRenderer(): Promise<AstroRenderer> {
  const configFn = getViteConfig(
    { server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'silent' },
    { root: ROOT, logLevel: 'silent' },
  ) as unknown as (env: { mode: string; command: 'serve' }) => Promise<Record<string, unknown>>;
  const vite = await createServer({ ...(await configFn({ mode: 'test', command: 'serve' })), configFile: false });
  try {
    const container = await AstroContainer.create();
    return {
      container,
      load: async (path) => ((await vite.ssrLoadModule(path)) as { default: AstroComponent }).default,
      module: (path) => vite.ssrLoadModule(path),
      close: () => vite.close(),
    };
  } catch (error) {
    await vite.close();
    throw error;
  }
}
