/**
 * Lab panel benchmark, in headless Chromium with the local runner (the site served the way
 * `npm start` serves it):
 *  - navigation start to a usable prompt, median of 5 new learners (each lab starts cold: a
 *    learner's seed makes the lab theirs, so the runner's pre-started lab fits only the same
 *    learner), then of 3 runs of one learner coming back (the runner's pre-started lab),
 *  - "Run checks" click to all results shown, right after the prompt (the worst case: the
 *    world may still be starting),
 *  - where that time goes (bench/measure/lab-phases.ts),
 *  - JavaScript shipped to a lesson page before the lab starts (gzipped),
 *  - bytes a browser downloads for its first lab (the shared runtime tree + the lab's tree and
 *    meta) and for each further lab (its tree and meta: the runtime is cached), gzipped.
 */
import { gzipSync } from 'node:zlib';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { chromiumArgs, chromiumPath } from '../test/support/chromium.ts';
import { buildLabSite, enterSite, removeLabSite, serveLabSite } from '../test/browser/lab-site.ts';
import { measureLessonPageLoading } from './measure/lesson-page-loading.ts';
import { recordPhases } from './measure/lab-phases.ts';

const RUNS = Number(process.env.BENCH_LAB_RUNS ?? 5);
const RETURNING_RUNS = Number(process.env.BENCH_LAB_RETURNING_RUNS ?? 3);
const LAB_LESSON = '/lessons/07-lock-the-database/';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export async function run(): Promise<void> {
  // BENCH_LAB_DIST: a site built before (by this bench with BENCH_LAB_KEEP=1), to measure again without rebuilding.
  const reused = process.env.BENCH_LAB_DIST;
  const distDir = reused ?? (await buildLabSite());
  if (process.env.BENCH_LAB_KEEP) console.log(`  built site kept in ${distDir} (BENCH_LAB_DIST=${distDir} measures it again)`);
  // Full lab bundles for every lab (the figure per lab), built by the same step as npm run build.
  const { buildLabBundles } = await import('../src/build/lab-bundle/build-lab-bundles.ts');
  const { projectDir } = await import('../test/browser/lab-site.ts');
  const bundles = await buildLabBundles({ projectDir, distDir });
  const site = await serveLabSite(distDir);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    // 1. JS before the lab starts: every script the lesson page loads with the lab left idle.
    {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      await enterSite(context, site);
      const page = await context.newPage();
      const scripts = new Set<string>();
      page.on('response', (response) => {
        if (response.request().resourceType() === 'script') scripts.add(new URL(response.url()).pathname);
      });
      await page.goto(`${site.url}${LAB_LESSON}?lab=manual`, { waitUntil: 'networkidle' });
      let raw = 0;
      let gzipped = 0;
      for (const path of scripts) {
        const bytes = readFileSync(join(distDir, decodeURIComponent(path)));
        raw += bytes.length;
        gzipped += gzipSync(bytes, { level: 9 }).length;
      }
      // Inline scripts in the HTML (the theme script) count too.
      const html = readFileSync(join(distDir, LAB_LESSON, 'index.html'), 'utf8');
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).join('');
      gzipped += inline ? gzipSync(inline, { level: 9 }).length : 0;
      raw += inline.length;
      console.log(`JS on a lesson page before the lab starts: ${kib(gzipped)} gzipped (${kib(raw)} raw, ${scripts.size} files; goal < 40 KiB)`);
      await context.close();
    }

    await measureLessonPageLoading({ browser, distDir, siteUrl: site.url, lessonPath: LAB_LESSON, enter: (context) => enterSite(context, site) });

    // 2. Navigation start to usable prompt, and 3. "Run checks" click to all results shown.
    // Each run is a fresh browser context (no saved work). By default each is a new learner
    // with a new seed, so the runner's pre-started lab (kept for the same lab and seed) never
    // fits: every measured lab starts cold, as a learner's first visit does. The second series
    // is one learner coming back (same seed, from the warm-up's storage): the runner hands
    // over the lab it pre-started, as it does for a reload.
    const measureRun = async (label: string, learner?: Awaited<ReturnType<import('playwright-core').BrowserContext['storageState']>>) => {
      // The site server and the runner share this process with the bench: a busy event loop here delays every response.
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...(learner ? { storageState: learner } : {}) });
      await enterSite(context, site);
      const page = await context.newPage();
      const phases = await recordPhases(page);
      await page.goto(`${site.url}${LAB_LESSON}`, { waitUntil: 'commit' });
      await page.waitForFunction(() => /learner@internet:~\$\s*$/m.test(document.querySelector('lab-panel .xterm-rows')?.textContent ?? ''), null, { timeout: 60_000, polling: 'raf' });
      const promptAt = await page.evaluate(() => performance.now()); // ms since navigation start
      const marks = await page.evaluate(() => {
        const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const lab = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('lab:')).map((m) => `${m.name.slice(4)} ${m.startTime.toFixed(0)}`);
        return [`page HTML first byte ${navigation?.responseStart.toFixed(0)}, last byte ${navigation?.responseEnd.toFixed(0)}, DOMContentLoaded ${navigation?.domContentLoadedEventEnd.toFixed(0)}`, ...lab];
      });
      console.log(`  ${label}: ${marks.join(', ')}, prompt ${promptAt.toFixed(0)} ms`);
      console.log(`    socket: ${await phases.socketLine()}`);
      console.log(`    requests: ${await phases.requestsLine()}; server event loop delay to the prompt: max ${(loopDelay.max / 1e6).toFixed(0)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms`);
      loopDelay.disable();
      await page.getByRole('button', { name: 'Run checks' }).click();
      const started = await page.evaluate(() => performance.now());
      await page.waitForFunction(() => /^(passed|failed|error)$/.test(document.querySelector('lab-panel')?.getAttribute('data-checks') ?? ''), null, { timeout: 120_000, polling: 'raf' });
      const done = await page.evaluate(() => performance.now());
      console.log(`    checks: click ${started.toFixed(0)}, shown ${done.toFixed(0)}; socket: ${(await phases.socketLine()).split(', ').filter((m) => !/^(socket|ready|open-shell|shell-ready|first-output)/.test(m)).join(', ')}; ${await phases.reportLine()}`);
      const state = await context.storageState();
      await context.close();
      await new Promise((resolve) => setTimeout(resolve, 3000)); // the runner pre-starts the next lab meanwhile
      return { prompt: promptAt, checks: done - started, state };
    };
    const report = (what: string, runs: { prompt: number; checks: number }[]) => {
      const prompts = runs.map((r) => r.prompt);
      const checks = runs.map((r) => r.checks);
      console.log(`navigation start -> usable prompt${what}: median ${median(prompts).toFixed(0)} ms over ${runs.length} runs (${prompts.map((t) => t.toFixed(0)).join(', ')}; goal < 700 ms warm)`);
      console.log(`"Run checks" click -> all results shown${what}: median ${median(checks).toFixed(0)} ms over ${runs.length} runs (${checks.map((t) => t.toFixed(0)).join(', ')}; goal < 1000 ms)`);
    };
    const warmUp = await measureRun('warm-up run (first lab of this server, not counted)');
    const newLearners = [];
    for (let i = 0; i < RUNS; i++) newLearners.push(await measureRun(`run ${i + 1} (new learner)`));
    const returning = [];
    for (let i = 0; i < RETURNING_RUNS; i++) returning.push(await measureRun(`run ${i + 1} (same learner again)`, warmUp.state));
    report('', newLearners);
    if (returning.length) report(' (same learner again: pre-started lab)', returning);

    // 4. What a browser downloads for the labs (WebContainer): the shared runtime tree once
    // (content-hashed, cached as immutable), then per lab its own tree and meta.
    const gz = (file: string) => gzipSync(readFileSync(join(distDir, 'labs', file)), { level: 6 }).length;
    const runtimeName = bundles[0]?.runtime;
    const runtimeGz = runtimeName ? gz(runtimeName) : 0;
    if (runtimeName) console.log(`shared runtime tree ${runtimeName}: ${kib(statSync(join(distDir, 'labs', runtimeName)).size)} (${kib(runtimeGz)} gzipped)`);
    const perLab = bundles.map((bundle) => ({ id: bundle.id, bytes: gz(`${bundle.id}.tree.json`) + gz(`${bundle.id}.meta.json`) }));
    for (const lab of perLab) console.log(`  lab ${lab.id}: ${kib(lab.bytes)} gzipped (tree + meta); first lab with the runtime ${kib(lab.bytes + runtimeGz)}`);
    const worstFirst = Math.max(...perLab.map((lab) => lab.bytes)) + runtimeGz;
    const worstNext = Math.max(...perLab.map((lab) => lab.bytes));
    console.log(`bytes for the first lab: at most ${kib(worstFirst)} gzipped (goal < 600 KB); for each further lab: at most ${kib(worstNext)} gzipped (goal < 60 KB)`);
    for (const bundle of bundles) {
      console.log(`  local runner folder ${bundle.id}: ${bundle.files} files, ${kib(folderBytes(join(distDir, 'labs', bundle.id)))} on disk`);
    }
  } finally {
    await browser.close();
    await site.close();
    if (!reused && !process.env.BENCH_LAB_KEEP) removeLabSite(distDir);
  }
}
