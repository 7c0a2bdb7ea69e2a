/**
 * What a lesson page with a lab loads, and when (issue 15, item 6), for `npm run bench -- lab`:
 *  - before the learner starts the lab: the scripts and the render-blocking stylesheets of the
 *    page at rest (?lab=manual), and the longest main-thread task while it loads;
 *  - after "Start lab": every script once the prompt and the editor are there, and the
 *    longest task on the way.
 * Sizes are the built files' (raw and gzip -9), so the figures do not depend on how a server
 * compresses. Lives outside bench/*.ts so bench/run.ts does not run it on its own; bench/lab.ts
 * calls it.
 */
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

interface Loaded {
  raw: number;
  gzipped: number;
  files: number;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const describe = (loaded: Loaded) => `${kib(loaded.gzipped)} gzipped (${kib(loaded.raw)} raw, ${loaded.files} files)`;

function sizes(distDir: string, paths: Iterable<string>): Loaded {
  const loaded: Loaded = { raw: 0, gzipped: 0, files: 0 };
  for (const path of paths) {
    const bytes = readFileSync(join(distDir, decodeURIComponent(path)));
    loaded.raw += bytes.length;
    loaded.gzipped += gzipSync(bytes, { level: 9 }).length;
    loaded.files++;
  }
  return loaded;
}

export async function measureLessonPageLoading(options: {
  browser: Browser;
  distDir: string;
  siteUrl: string;
  lessonPath: string;
  /** Lets a fresh context in (npm start's secret cookie). */
  enter: (context: import('playwright-core').BrowserContext) => Promise<void>;
}): Promise<void> {
  const { browser, distDir, siteUrl, lessonPath } = options;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await options.enter(context);
  const page = await context.newPage();
  await page.addInitScript(() => {
    const tasks: number[] = [];
    (window as unknown as { longTasks: number[] }).longTasks = tasks;
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => tasks.push(entry.duration))).observe({ type: 'longtask', buffered: true });
  });
  const scripts = new Set<string>();
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (response.request().resourceType() === 'script' && url.origin === new URL(siteUrl).origin) scripts.add(url.pathname);
  });
  const longest = async () => Math.max(0, ...(await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0))));

  await page.goto(`${siteUrl}${lessonPath}?lab=manual`, { waitUntil: 'networkidle' });
  const before = sizes(distDir, scripts);
  const blockingCss = await page.evaluate(() => [...document.head.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map((link) => new URL(link.href).pathname));
  const css = sizes(distDir, blockingCss);
  const loadTask = await longest();
  console.log(`lesson page before "Start lab": JS ${describe(before)}; render-blocking CSS ${describe(css)}${blockingCss.some((path) => /xterm/.test(path)) ? ' (includes xterm.css)' : ''}; longest task while loading ${loadTask.toFixed(0)} ms`);

  await page.getByRole('button', { name: 'Start lab' }).click();
  await page.waitForFunction(() => /\$\s*$/m.test(document.querySelector('lab-panel .xterm-rows')?.textContent ?? ''), null, { timeout: 120_000 });
  await page.waitForSelector('lab-panel .cm-editor', { state: 'attached', timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  const after = sizes(distDir, scripts);
  const startTask = await longest();
  console.log(`lesson page after "Start lab" (prompt and editor ready): JS ${describe(after)}, ${describe({ raw: after.raw - before.raw, gzipped: after.gzipped - before.gzipped, files: after.files - before.files })} of it on demand; longest task while starting ${startTask.toFixed(0)} ms`);
  await context.close();
}
