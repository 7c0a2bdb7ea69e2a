/**
 * Issue 15's "done when": lesson 7's lab completed with the keyboard alone on a 390 px phone
 * screen, in Chromium with the local runner. Only keys move focus here (Tab, Shift+Tab, arrows,
 * Escape, Enter); commands and file contents arrive as pasted text (insertText), as a learner
 * pastes them from the lesson. The page never scrolls sideways along the way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable } from '../support/chromium.ts';
import { enterSite, projectDir, startLabBrowser, type LabSite } from './lab-site.ts';

const available = chromiumAvailable();
let browser: Browser;
let site: LabSite;
let distDir: string;
let page: Page;
const WIDTH = 390;
const solution = (path: string) => readFileSync(join(projectDir, 'sandboxes/labs/lock-database/solution', path), 'utf8');
const solutionCommands = readFileSync(join(projectDir, 'sandboxes/labs/lock-database/solution.sh'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'));

let labBrowser: Awaited<ReturnType<typeof startLabBrowser>> | undefined;

beforeAll(async () => {
  if (!available) return;
  labBrowser = await startLabBrowser();
  ({ distDir, site, browser } = labBrowser);
  const context = await browser.newContext({ viewport: { width: WIDTH, height: 844 }, deviceScaleFactor: 2 });
  await enterSite(context, site);
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await labBrowser?.close();
});

/** A short description of the focused element, for matching and for failure messages. */
const focused = () =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return '';
    const name = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 40) ?? '';
    const role = element.getAttribute('role') ?? element.tagName.toLowerCase();
    const terminal = element.classList.contains('xterm-helper-textarea') ? ' terminal' : '';
    return `${role}:${name}${terminal}`;
  });

/** Presses a key until the focused element matches, as a keyboard user does (bounded). */
async function keyTo(key: string, pattern: RegExp, limit = 120): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    const now = await focused();
    if (pattern.test(now)) return;
    seen.push(now);
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${pattern}; focus went through: ${seen.slice(-15).join(' | ')}`);
}

const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
const terminalText = () => page.locator('lab-panel .xterm-rows').innerText();

describe.skipIf(!available)('lesson 7 by keyboard alone on a 390 px screen', () => {
  it('starts the lab, creates the users, edits and saves both files and passes the checks', async () => {
    await page.goto(`${site.url}/lessons/07-lock-the-database/`);
    // Skip to the lab, then start it: focus lands in the terminal only because we asked.
    await keyTo('Tab', /Skip to the lab/);
    await page.keyboard.press('Enter');
    await keyTo('Tab', /^button:Start lab/);
    await page.keyboard.press('Enter');
    await expect.poll(focused, { timeout: 60_000 }).toMatch(/ terminal$/);
    await expect.poll(terminalText, { timeout: 60_000 }).toMatch(/learner@internet:~\$\s*$/m);
    expect(await pageWidth()).toBeLessThanOrEqual(WIDTH);

    for (const command of solutionCommands) {
      const before = await terminalText();
      await page.keyboard.insertText(command);
      await page.keyboard.press('Enter');
      await expect.poll(async () => {
        const text = await terminalText();
        return text !== before && /learner@internet:~\$\s*$/.test(text);
      }, { timeout: 60_000 }).toBe(true);
    }

    // Out of the terminal with Escape then Tab, to the dock's tabs, then Files.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await focused()).not.toMatch(/ terminal$/);
    await keyTo('Tab', /^tab:Checks/);
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toMatch(/^tab:Files/);

    for (const [index, path] of ['mongod.conf', 'api/.env'].entries()) {
      // The open files are a tablist too: its selected tab is the one Tab stop.
      await keyTo('Tab', /^tab:(mongod\.conf|api\/\.env)/);
      if (index === 1) await page.keyboard.press('ArrowRight');
      expect(await focused()).toMatch(new RegExp(`^tab:${path.replace('.', '\\.')}`));
      await keyTo('Tab', new RegExp(`^textbox:${path.replace('.', '\\.')}$`));
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(solution(path));
      await page.keyboard.press('Control+S');
      await expect.poll(() => page.locator('lab-panel .lab-editor-status').innerText(), { timeout: 30_000 }).toBe(`Saved ${path}`);
      expect(await pageWidth()).toBeLessThanOrEqual(WIDTH);
      if (index === 0) await keyTo('Shift+Tab', /^tab:mongod\.conf/);
    }

    // Back to the Checks tab and Run checks, all by keyboard; focus stays on the button.
    await keyTo('Shift+Tab', /^tab:Files/);
    await page.keyboard.press('ArrowLeft');
    await keyTo('Tab', /^button:Run checks/);
    await page.locator('lab-panel').evaluate((element) => element.removeAttribute('data-checks'));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('lab-panel').getAttribute('data-checks'), { timeout: 120_000 }).toMatch(/^(passed|failed|error)$/);
    const failing = await page.locator('lab-panel .lab-check[data-result="fail"]').allInnerTexts();
    expect({ result: await page.locator('lab-panel').getAttribute('data-checks'), failing }).toEqual({ result: 'passed', failing: [] });
    expect(await focused()).toMatch(/^button:Run checks/);
    expect(await pageWidth()).toBeLessThanOrEqual(WIDTH);
    await page.screenshot({ path: join(distDir, 'keyboard-phone.png'), fullPage: false });
  });
});
