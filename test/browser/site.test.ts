import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumAvailable, chromiumPath } from '../support/chromium';

/**
 * The course as a learner meets it: `npm start` (which builds when dist/ is stale; one build
 * for this whole file), then the real pages in the system Chromium. Screenshots go to
 * /tmp/cloudpets-site-*.png for a human to look at.
 */
const projectDir = resolve(import.meta.dirname, '../..');
const haveChromium = chromiumAvailable();
const require = createRequire(import.meta.url);

let server: ChildProcess | undefined;
let serverOutput = '';
let baseUrl = '';
/** The address npm start printed, with its secret: every new browser context enters through it. */
let entryUrl = '';
let browser: Browser;
let axeSource = '';

/** Run `npm start` with PORT=0 and wait for the URL it prints (with its secret). */
async function startCourse(): Promise<string> {
  const child = spawn('npm', ['start'], {
    cwd: projectDir,
    env: { ...process.env, PORT: '0', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group, so the whole npm -> tsx -> node chain can be stopped together.
    detached: true,
  });
  server = child;
  return new Promise((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      serverOutput += chunk.toString();
      const match = /running at (http:\/\/localhost:\d+\/\?token=[\w-]+)/.exec(serverOutput);
      if (match?.[1]) resolveUrl(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited with code ${code} before printing its URL:\n${serverOutput.slice(-4000)}`)));
  });
}

async function newPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  // In the learner's way: the printed address sets the access cookie (shared by context.request).
  expect((await context.request.get(entryUrl)).ok()).toBe(true);
  const page = await context.newPage();
  const problems: string[] = [];
  // A CSP violation or a script error shows up here; a clean page has none.
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith('http') && url.host !== new URL(baseUrl).host) problems.push(`third-party request: ${request.url()}`);
  });
  return { page, problems };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core in the page; evaluated through DevTools, which the page's CSP does not govern. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  })) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: `/tmp/cloudpets-site-${name}.png`, fullPage });
}

describe.skipIf(!haveChromium)('the course site in Chromium', () => {
  beforeAll(async () => {
    axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
    entryUrl = await startCourse();
    baseUrl = new URL('/', entryUrl).href;
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });

  afterAll(async () => {
    await browser?.close();
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  });

  it('home page: cross-origin isolated, lessons listed, no errors, no third-party requests', async () => {
    const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1280, height: 900 } });
    const { page, problems } = await newPage(context);
    const response = await page.goto(baseUrl);
    expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.locator('h1').textContent()).toMatch(/Break in/);
    const cards = page.locator('.lesson-list > li');
    expect(await cards.count()).toBeGreaterThanOrEqual(2);
    expect(await cards.first().locator('lesson-progress').textContent()).toContain('Not started');
    await shot(page, 'home-light', true);
    expect(problems).toEqual([]);
    // The build that npm start ran also wrote the static hosts' header files.
    expect(await readFile(resolve(projectDir, 'dist/_headers'), 'utf8')).toContain('Cross-Origin-Embedder-Policy: require-corp');
    expect(JSON.parse(await readFile(resolve(projectDir, 'dist/vercel.json'), 'utf8')).headers[0].source).toBe('/(.*)');
    await context.close();
  });

  it('keyboard: Tab reaches the skip link first, Enter jumps to the content, focus is visible', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page } = await newPage(context);
    await page.goto(baseUrl);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({ text: document.activeElement?.textContent?.trim(), top: document.activeElement?.getBoundingClientRect().top ?? -1 }));
    expect(focused.text).toBe('Skip to content');
    // Visible once focused (it sits off-screen until then).
    expect(focused.top).toBeGreaterThanOrEqual(0);
    await shot(page, 'skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content');
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      return { inMain: element.closest('main') !== null, text: element.textContent?.trim(), outline: getComputedStyle(element).outlineStyle };
    });
    expect(next.inMain).toBe(true);
    expect(next.text).toMatch(/Start with lesson 1/);
    expect(next.outline).toBe('solid');
    // Follow the link with the keyboard.
    await Promise.all([page.waitForURL(/\/lessons\//), page.keyboard.press('Enter')]);
    expect(await page.locator('.lesson h1').count()).toBe(1);
    await context.close();
  });

  it('theme: follows the system, toggles from the keyboard, remembers the choice, with no flash script blocked', async () => {
    const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
    const { page, problems } = await newPage(context);
    await page.goto(baseUrl);
    // Set by the inline head script: if the CSP hash did not match, there would be no theme here.
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const toggle = page.locator('theme-toggle button');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await toggle.focus();
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(247, 248, 250)');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('search: Ctrl+K opens the dialog, Pagefind finds a lesson, Enter opens it', async () => {
    const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1280, height: 900 } });
    const { page, problems } = await newPage(context);
    await page.goto(baseUrl);
    await page.keyboard.press('Control+k');
    const dialog = page.locator('site-search dialog');
    expect(await dialog.evaluate((element: HTMLDialogElement) => element.open)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    await page.keyboard.type('Shodan');
    const firstResult = page.locator('[data-search-results] a').first();
    await firstResult.waitFor({ timeout: 15_000 });
    const hrefs = await page.locator('[data-search-results] a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(hrefs.some((href) => href?.startsWith('/lessons/'))).toBe(true);
    expect(await page.locator('[data-search-results] mark').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-search-status]').textContent()).toMatch(/results? for “Shodan”/);
    await shot(page, 'search-light');
    // A combobox: the arrow keys move the active result, and aria-activedescendant names it,
    // so a screen reader says each result as the learner reaches it; focus stays in the input.
    const input = page.getByRole('combobox', { name: 'Search lessons' });
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBeNull();
    const options = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
    expect(await options.count()).toBe(hrefs.length);
    const active = async () => {
      const id = await input.getAttribute('aria-activedescendant');
      return page.evaluate((activeId) => {
        const option = activeId ? document.getElementById(activeId) : null;
        return { href: option?.getAttribute('href'), selected: option?.getAttribute('aria-selected'), focusInInput: document.activeElement?.getAttribute('role') === 'combobox' };
      }, id);
    };
    await page.keyboard.press('ArrowDown');
    expect(await active()).toEqual({ href: hrefs[0], selected: 'true', focusInInput: true });
    if (hrefs.length > 1) {
      await page.keyboard.press('ArrowDown');
      expect(await active()).toEqual({ href: hrefs[1], selected: 'true', focusInInput: true });
      expect(await options.first().getAttribute('aria-selected')).toBe('false');
      await page.keyboard.press('ArrowUp');
    }
    await Promise.all([page.waitForURL(new RegExp(`${hrefs[0]}$`)), page.keyboard.press('Enter')]);
    // "/" opens it too, but not while typing in a field.
    await page.keyboard.press('/');
    expect(await page.locator('site-search dialog').evaluate((element: HTMLDialogElement) => element.open)).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.locator('site-search dialog').evaluate((element: HTMLDialogElement) => element.open)).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lesson page: isolated, lab region beside the prose, contents, sources, prev/next, and progress saved', async () => {
    const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1440, height: 900 } });
    const { page, problems } = await newPage(context);
    await page.goto(baseUrl);
    const labCard = page.locator('.lesson-card', { has: page.locator('lesson-progress[data-lab]:not([data-lab=""])') }).first();
    const href = await labCard.locator('h3 a').getAttribute('href');
    const labId = await labCard.locator('lesson-progress').getAttribute('data-lab');
    expect(href).toMatch(/^\/lessons\/.+\/$/);
    await page.goto(new URL(href!, baseUrl).href);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // The lab panel (its inside belongs to the sandbox work) sits in the reserved side column.
    expect(await page.locator(`.lesson-side [data-lab="${labId}"]`).count()).toBe(1);
    const [prose, side] = await Promise.all([page.locator('.lesson-column').boundingBox(), page.locator('.lesson-side').boundingBox()]);
    // Side by side on a wide screen.
    expect(side!.x).toBeGreaterThan(prose!.x + prose!.width - 1);
    expect(await page.getByRole('navigation', { name: 'On this page' }).locator('a').count()).toBeGreaterThan(0);
    expect(await page.getByRole('heading', { name: 'Sources' }).count()).toBe(1);
    expect(await page.locator('section.sources li a').count()).toBeGreaterThan(0);
    expect(await page.locator('.prev-next a').count()).toBeGreaterThan(0);
    await shot(page, 'lesson-light');
    // Reading down the page marks the current section in the table of contents.
    const tocHash = await page.locator('toc-highlight a').nth(1).evaluate((link: HTMLAnchorElement) => link.hash);
    await page.evaluate((hash) => {
      document.documentElement.style.scrollBehavior = 'auto';
      document.getElementById(decodeURIComponent(hash.slice(1)))?.scrollIntoView();
    }, tocHash);
    await page.waitForSelector(`toc-highlight a[aria-current="true"][href="${tocHash}"]`, { timeout: 5_000 });
    // The visit is remembered on the home page.
    await page.goto(baseUrl);
    const status = page.locator(`.lesson-card:has(a[href="${href}"]) lesson-progress`);
    expect(await status.textContent()).toContain('In progress');
    expect(await page.locator('resume-lesson a').textContent()).toMatch(/^Continue: /);
    expect(await page.evaluate(() => Object.keys(JSON.parse(localStorage.getItem('cloudpets-lab:progress:v1') ?? '{}').lessons ?? {}))).toHaveLength(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a corrupted progress value is discarded with a warning, never a broken page', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(() => {
      if (!sessionStorage.getItem('seeded')) {
        localStorage.setItem('cloudpets-lab:progress:v1', '{"version":1,"lessons":');
        sessionStorage.setItem('seeded', '1');
      }
    });
    const { page, problems } = await newPage(context);
    await page.goto(baseUrl);
    expect(await page.locator('.lesson-list lesson-progress').first().textContent()).toContain('Not started');
    expect(problems.filter((problem) => problem.startsWith('warning:'))).toEqual([expect.stringMatching(/saved progress .* was discarded because it is not valid JSON/)]);
    expect(problems.filter((problem) => !problem.startsWith('warning:'))).toEqual([]);
    await context.close();
  });

  it('narrow screen: the lab stacks under the prose and nothing scrolls sideways', async () => {
    const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const { page } = await newPage(context);
    await page.goto(baseUrl);
    const href = await page.locator('.lesson-card', { has: page.locator('lesson-progress[data-lab]:not([data-lab=""])') }).first().locator('h3 a').getAttribute('href');
    await page.goto(new URL(href!, baseUrl).href);
    const [prose, side] = await Promise.all([page.locator('.lesson-column').boundingBox(), page.locator('.lesson-side').boundingBox()]);
    expect(side!.y).toBeGreaterThanOrEqual(prose!.y + prose!.height - 1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(page, 'lesson-mobile-dark');
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    // Sixteen pages with axe at a few seconds each on two shared cores: more than the default minute.
    it(`axe-core finds no serious or critical violations (${colorScheme})`, { timeout: 300_000 }, async () => {
      const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
      const { page } = await newPage(context);
      await page.goto(baseUrl);
      const cards = await page.locator('.lesson-card').evaluateAll((elements) =>
        elements.map((card) => ({ href: card.querySelector('h3 a')?.getAttribute('href') ?? '', lab: card.querySelector('lesson-progress')?.getAttribute('data-lab') ?? '' })),
      );
      const lessonLinks = cards.map((card) => card.href);
      const firstLabLesson = cards.find((card) => card.lab !== '')?.href ?? '/';
      // Every lesson, with its lab panel at rest (?lab=manual), plus one lesson whose lab starts
      // as it does for a learner: starting eleven labs twice would crowd two shared cores.
      const paths = ['/', '/instructors/', '/this-page-does-not-exist/', ...lessonLinks.map((link) => `${link}?lab=manual`), firstLabLesson];
      const found: string[] = [];
      for (const path of paths) {
        await page.goto(new URL(path, baseUrl).href);
        found.push(...(await seriousViolations(page)).map((violation) => `${path}: ${violation}`));
      }
      // The open search dialog with results, too.
      await page.goto(baseUrl);
      await page.keyboard.press('Control+k');
      await page.keyboard.type('password');
      await page.locator('[data-search-results] a').first().waitFor({ timeout: 15_000 });
      found.push(...(await seriousViolations(page)).map((violation) => `search dialog: ${violation}`));
      await shot(page, `search-${colorScheme}`);
      await page.keyboard.press('Escape');
      await page.goto(new URL(lessonLinks[0] ?? '/', baseUrl).href);
      await shot(page, `lesson-first-${colorScheme}`);
      expect(found).toEqual([]);
      await context.close();
    });
  }
});
