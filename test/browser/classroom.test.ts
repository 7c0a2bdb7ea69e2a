/**
 * A class end to end in Chromium with the local runner: the classroom starts (real SQLite
 * file), the course allows it in its CSP, two learners open the join link, join with a name,
 * pass the recon lab in their own lab, and their pages hand it in on their own; the
 * instructor's matrix then shows both as passed (graded again by the classroom, not taken from
 * the page). The instructor's page is screenshotted for the docs' picture when asked.
 */
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumArgs, chromiumAvailable, chromiumPath } from '../support/chromium.ts';
import { openSqliteStore } from '../../src/classroom/sqlite-store.ts';
import { startClassroom, type RunningClassroom } from '../../src/classroom/server.ts';

const available = chromiumAvailable();
let browser: Browser;
let classroom: RunningClassroom;
let dataDir: string;
let distDir: string;
let site: { url: string; entryUrl: string; close(): Promise<void> };
let code: string;
let instructorUrl: string;
const contexts: BrowserContext[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

beforeAll(async () => {
  if (!available) return;
  // The course's address must be known to the classroom (CORS) and the classroom's to the
  // course (CSP) before either serves: pick the course's port first.
  const sitePort = await freePort();
  const course = `http://127.0.0.1:${sitePort}`;
  dataDir = mkdtempSync(join(tmpdir(), 'cloudpets-classroom-browser-'));
  classroom = await startClassroom({ store: await openSqliteStore(join(dataDir, 'classroom.sqlite')), courseOrigins: [course], workers: 1 });
  const made = classroom.createClass('Browser class');
  code = made.cls.code;
  instructorUrl = made.instructorUrl;
  process.env.CLOUDPETS_CLASSROOM_ORIGIN = new URL(classroom.url).origin;
  // Imported only now: the site server reads its headers (the CSP) when it loads.
  const { buildLabSite, projectDir } = await import('./lab-site.ts');
  const { createSiteServer } = await import('../../src/server/static/site-server.ts');
  const { siteAttachments } = await import('../../src/server/start.ts');
  distDir = await buildLabSite();
  const server = createSiteServer({ distDir, port: sitePort });
  for (const attach of siteAttachments) await attach(server, { projectDir, distDir });
  const { url, entryUrl } = await server.listen();
  site = { url: url.replace(/\/$/, ''), entryUrl, close: () => server.close() };
  expect(site.url).toBe(course);
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}, 400_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await site?.close();
  await classroom?.close();
  if (distDir) rmSync(distDir, { recursive: true, force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function learnerPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  contexts.push(context);
  await context.route(/^(?!http:\/\/(127\.0\.0\.1|localhost)[:/])/, (route) => {
    throw new Error(`the page tried to reach ${route.request().url()}`);
  });
  const response = await context.request.get(site.entryUrl);
  expect(response.ok()).toBe(true);
  return context.newPage();
}

async function typeCommand(page: Page, command: string): Promise<void> {
  await page.locator('lab-panel .xterm-helper-textarea').focus();
  await page.keyboard.insertText(command);
  await page.keyboard.press('Enter');
}

async function passRecon(page: Page): Promise<void> {
  await page.goto(`${site.url}/lessons/02-recon/`);
  await page.locator('lab-panel').scrollIntoViewIfNeeded();
  const terminal = () => page.locator('lab-panel .xterm-rows').innerText();
  await expect.poll(terminal, { timeout: 60_000 }).toMatch(/\$\s*$/m);
  // The prompt can come before the lab's world is up (on a busy machine): scan again until it answers.
  for (let attempt = 0; attempt < 12 && !/version:\s*\S+/.test(await terminal()); attempt++) {
    await typeCommand(page, 'scan db.cloudpets.test');
    await expect.poll(terminal, { timeout: 30_000 }).toMatch(/(version:\s*\S+|start the world first|closed|error)[\s\S]*\$\s*$/);
    if (!/version:\s*\S+/.test(await terminal())) {
      // What a learner would do: start the world by hand, and wait for the prompt.
      await typeCommand(page, 'world start');
      await page.waitForTimeout(10_000);
    }
  }
  await expect.poll(terminal).toMatch(/version:\s*\S+/);
  const text = await terminal();
  const version = /version:\s*v?([0-9][^\s]*)/.exec(text)?.[1];
  const port = /(\d+)\/tcp\s+open\s+mongodb/.exec(text)?.[1];
  expect(version && port, text).toBeTruthy();
  await page.getByRole('tab', { name: 'Files' }).click();
  await page.getByRole('tab', { name: 'findings.txt' }).click();
  await page.getByRole('textbox', { name: 'findings.txt', exact: true }).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(`host: db.cloudpets.test\nport: ${port}\nversion: ${version}\n`);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('tab', { name: 'Checks' }).click();
  await page.getByRole('button', { name: 'Run checks' }).click();
  await expect.poll(() => page.locator('lab-panel').getAttribute('data-checks'), { timeout: 120_000 }).toMatch(/^(passed|failed|error)$/);
  const failing = await page.locator('lab-panel .lab-check[data-result="fail"]').allInnerTexts();
  expect({ checks: await page.locator('lab-panel').getAttribute('data-checks'), failing }).toEqual({ checks: 'passed', failing: [] });
  // Passing hands the lab in to the class by itself.
  await expect.poll(() => page.locator('lab-panel').getAttribute('data-hand-in'), { timeout: 60_000 }).toBe('sent');
}

describe.skipIf(!available)('a class in Chromium (local runner)', () => {
  it('two learners join, pass a lab, and the instructor\'s matrix shows both', { timeout: 600_000 }, async () => {
    const names = ['Ada Example', 'bob@example.com'];
    for (const name of names) {
      const page = await learnerPage();
      await page.goto(`${site.url}/?classroom=${encodeURIComponent(new URL(classroom.url).origin)}&class=${code}`);
      await page.locator('[data-hand-in-name]').fill(name);
      await page.locator('[data-hand-in-join]').click();
      await expect.poll(() => page.locator('[data-hand-in-joined]').count(), { timeout: 30_000 }).toBe(1);
      await passRecon(page);
    }
    await classroom.queue.idle();

    const instructor = await browser.newContext({ viewport: { width: 1500, height: 700 } });
    contexts.push(instructor);
    const page = await instructor.newPage();
    await page.goto(instructorUrl);
    const rows = page.locator('#matrix tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    for (const name of names) {
      const row = page.locator('#matrix tbody tr', { hasText: name });
      await expect.poll(() => row.locator('td.pass').count()).toBe(1);
    }
    if (process.env.CLOUDPETS_MATRIX_SCREENSHOT) await page.screenshot({ path: process.env.CLOUDPETS_MATRIX_SCREENSHOT, fullPage: true });
    // A learner's page shows that learner's own result only.
    const learner = contexts[0]!.pages()[0]!;
    await learner.goto(`${site.url}/`);
    await expect.poll(() => learner.locator('[data-hand-in-results] li').allInnerTexts(), { timeout: 30_000 }).toEqual([expect.stringMatching(/^recon: passed/)]);
  });
});
