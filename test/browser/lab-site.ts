/**
 * The built site for the lab browser tests and the bench: Astro build + lab bundles into a
 * temporary dist, the fixture lab added, served the way `npm start` serves it (the site
 * server with every attachment start.ts registers, i.e. the local runner).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite } from '../../src/build/build-site.ts';
import type { BrowserContext } from 'playwright-core';
import { siteAttachments } from '../../src/server/start.ts';
import { createSiteServer, type SiteServer } from '../../src/server/static/site-server.ts';
import { FIXTURE_LAB, writeFixtureLab } from './lab-fixture.ts';

export const projectDir = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURE_PAGE = '/lessons/lab-fixture/';

export interface LabSite {
  /** The site's clean address (no trailing slash). */
  url: string;
  /** The address `npm start` prints: with the secret that sets the access cookie. */
  entryUrl: string;
  distDir: string;
  site: SiteServer;
  close(): Promise<void>;
}

/**
 * Two Astro builds of one project at once break each other (shared .astro and Vite caches),
 * and Vitest runs test files in parallel: take turns through a lock folder.
 */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), 'cloudpets-astro-build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
        process.kill(owner, 0);
      } catch {
        if (owner) rmSync(lock, { recursive: true, force: true }); // its owner died
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function buildLabSite(): Promise<string> {
  const distDir = mkdtempSync(join(tmpdir(), 'cloudpets-lab-site-'));
  try {
    await buildInto(distDir);
  } catch (error) {
    rmSync(distDir, { recursive: true, force: true });
    throw error;
  }
  return distDir;
}

async function buildInto(distDir: string): Promise<void> {
  // The whole build, as `astro build` makes it (the course integration adds the lab bundles).
  await withBuildLock(() => buildSite({ projectDir, distDir, log: () => undefined }));
  writeFixtureLab(join(distDir, 'labs'));
  // A lesson page whose panel opens the fixture lab: a built lesson with the lab id swapped.
  const source = readFileSync(join(distDir, 'lessons', '07-lock-the-database', 'index.html'), 'utf8');
  mkdirSync(join(distDir, 'lessons', 'lab-fixture'), { recursive: true });
  writeFileSync(join(distDir, 'lessons', 'lab-fixture', 'index.html'), source.replaceAll('data-lab="lock-database"', `data-lab="${FIXTURE_LAB}"`));
}

export async function serveLabSite(distDir: string): Promise<LabSite> {
  const site = createSiteServer({ distDir, port: 0 });
  for (const attach of siteAttachments) await attach(site, { projectDir, distDir });
  const { url, entryUrl } = await site.listen();
  return {
    url: url.replace(/\/$/, ''),
    entryUrl,
    distDir,
    site,
    async close() {
      await site.close();
    },
  };
}

/**
 * Lets a browser context in the way the learner gets in: by opening the address with the
 * secret, which sets the access cookie (requests of `context.request` share its cookies).
 */
export async function enterSite(context: BrowserContext, site: { entryUrl: string }): Promise<void> {
  const response = await context.request.get(site.entryUrl);
  if (!response.ok()) throw new Error(`entering ${site.entryUrl} answered ${response.status()}`);
}

export function removeLabSite(distDir: string): void {
  rmSync(distDir, { recursive: true, force: true });
}


/** The built lab site served as `npm start` serves it, and a Chromium to drive it: the set-up of the lab browser tests. */
export async function startLabBrowser(): Promise<{ distDir: string; site: LabSite; browser: import('playwright-core').Browser; close(): Promise<void> }> {
  const { chromiumArgs, chromiumPath } = await import('../support/chromium.ts');
  const distDir = await buildLabSite();
  const site = await serveLabSite(distDir);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  return {
    distDir,
    site,
    browser,
    async close() {
      await browser.close();
      await site.close();
      removeLabSite(distDir);
    },
  };
}

/** What the lab panel's terminal shows. */
export const terminalText = (page: import('playwright-core').Page): Promise<string> => page.locator('lab-panel .xterm-rows').innerText();
