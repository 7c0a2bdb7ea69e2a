/**
 * Entering `npm start` in a real browser (issue 13 item 1), on a tiny site (no Astro build):
 * the printed address sets the cookie and lands on the clean address; the page cannot read
 * the cookie; the page's own WebSocket to the lab socket is let in by the cookie alone; a
 * fresh browser without it gets the 403 page.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_SOCKET_PATH } from '../../src/runtimes/local/protocol.ts';
import { siteAttachments } from '../../src/server/start.ts';
import { createSiteServer, type SiteServer } from '../../src/server/static/site-server.ts';
import { chromiumArgs, chromiumAvailable, chromiumPath } from '../support/chromium.ts';

const available = chromiumAvailable();
let browser: Browser;
let site: SiteServer;
let distDir: string;
let url: string;
let entryUrl: string;

beforeAll(async () => {
  if (!available) return;
  distDir = mkdtempSync(join(tmpdir(), 'secret-entry-'));
  mkdirSync(join(distDir, 'lessons', 'one'), { recursive: true });
  writeFileSync(join(distDir, 'index.html'), '<!doctype html><html lang="en"><head><title>Home</title></head><body><h1>home</h1></body></html>');
  writeFileSync(join(distDir, 'lessons', 'one', 'index.html'), '<!doctype html><html lang="en"><head><title>One</title></head><body><h1>lesson one</h1></body></html>');
  site = createSiteServer({ distDir, port: 0 });
  for (const attach of siteAttachments) await attach(site, { projectDir: distDir, distDir });
  ({ url, entryUrl } = await site.listen());
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (distDir) rmSync(distDir, { recursive: true, force: true });
});

describe.skipIf(!available)('entering npm start in Chromium', () => {
  it('the printed address lets the browser in, leaves a clean address and a cookie scripts cannot read', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(entryUrl.replace('/?', '/lessons/one/?'));
    expect(page.url()).toBe(`${url}lessons/one/`);
    expect(await page.locator('h1').textContent()).toBe('lesson one');
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const cookies = await context.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', value: site.secret });
    // The page's own WebSocket carries the cookie: the lab socket lets it in (no secret in the page).
    const opened = await page.evaluate(
      (socketUrl) =>
        new Promise<boolean>((resolve) => {
          const socket = new WebSocket(socketUrl);
          socket.onopen = () => {
            socket.close();
            resolve(true);
          };
          socket.onerror = () => resolve(false);
        }),
      `${url.replace('http', 'ws').replace(/\/$/, '')}${LAB_SOCKET_PATH}?lab=one`,
    );
    expect(opened).toBe(true);
    expect(await page.content()).not.toContain(site.secret);
    await context.close();
  });

  it('a browser that never opened the printed address gets the 403 page, and no socket', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${url}lessons/one/`);
    expect(response?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toMatch(/Open the address npm start printed/);
    const opened = await page.evaluate(
      (socketUrl) =>
        new Promise<boolean>((resolve) => {
          const socket = new WebSocket(socketUrl);
          socket.onopen = () => resolve(true);
          socket.onerror = () => resolve(false);
        }),
      `${url.replace('http', 'ws').replace(/\/$/, '')}${LAB_SOCKET_PATH}?lab=one`,
    );
    expect(opened).toBe(false);
    await context.close();
  });
});
