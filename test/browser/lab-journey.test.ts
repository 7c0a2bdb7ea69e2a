/**
 * A real lab end to end in Chromium with the local runner, as a new learner does it with no
 * internet: the lock-database lesson's lab starts, the bundled tools run in its terminal,
 * the checks fail, the fix is typed and edited in, and the checks pass.
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
const solution = (path: string) => readFileSync(join(projectDir, 'sandboxes/labs/lock-database/solution', path), 'utf8');
const solutionCommands = readFileSync(join(projectDir, 'sandboxes/labs/lock-database/solution.sh'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'));

let labBrowser: Awaited<ReturnType<typeof startLabBrowser>> | undefined;

beforeAll(async () => {
  if (!available) return;
  labBrowser = await startLabBrowser();
  ({ distDir, site, browser } = labBrowser);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // No internet: any request that leaves loopback fails the test.
  await context.route(/^(?!http:\/\/(127\.0\.0\.1|localhost)[:/])/, (route) => {
    throw new Error(`the lab page tried to reach ${route.request().url()}`);
  });
  await enterSite(context, site);
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await labBrowser?.close();
});

const terminalText = () => page.locator('lab-panel .xterm-rows').innerText();

async function typeCommand(command: string): Promise<void> {
  await page.locator('lab-panel .xterm-helper-textarea').focus();
  await page.keyboard.insertText(command);
  await page.keyboard.press('Enter');
}

async function runChecks(): Promise<{ result: string; summary: string }> {
  await page.getByRole('tab', { name: 'Checks' }).click();
  const button = page.getByRole('button', { name: 'Run checks' });
  await button.click();
  await expect.poll(() => page.locator('lab-panel').getAttribute('data-checks'), { timeout: 90_000 }).toMatch(/^(passed|failed|error)$/);
  return {
    result: (await page.locator('lab-panel').getAttribute('data-checks')) ?? '',
    summary: await page.locator('lab-panel .lab-checks-summary').innerText(),
  };
}

async function replaceFile(path: string, text: string): Promise<void> {
  await page.getByRole('tab', { name: 'Files' }).click();
  await page.getByRole('tab', { name: path }).click();
  const editor = page.getByRole('textbox', { name: path, exact: true });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => page.locator('lab-panel .lab-editor-status').innerText()).toBe(`Saved ${path}`);
}

describe.skipIf(!available)('lock-database lab in Chromium (local runner, offline)', () => {
  it('starts the lab from the lesson page and runs the bundled tools', async () => {
    await page.goto(`${site.url}/lessons/07-lock-the-database/`);
    await expect.poll(terminalText, { timeout: 30_000 }).toMatch(/learner@internet:~\$\s*$/m);
    await typeCommand('world status; scan db.cloudpets.test');
    await expect.poll(terminalText, { timeout: 30_000 }).toMatch(/27017\/tcp\s+open\s+mongodb/);
  });

  it('shows checks typed in the terminal in the panel too', async () => {
    await page.getByRole('tab', { name: 'Checks' }).click();
    await page.locator('lab-panel').evaluate((el) => el.removeAttribute('data-checks'));
    await typeCommand('checks');
    await expect.poll(() => page.locator('lab-panel').getAttribute('data-checks'), { timeout: 60_000 }).toBe('failed');
    expect(await page.locator('lab-panel .lab-checks-summary').innerText()).toMatch(/\d+ of \d+ checks pass/);
    expect(await page.locator('lab-panel .lab-check[data-result="fail"]').count()).toBeGreaterThan(0);
  });

  it('fails the checks before the fix', async () => {
    await page.locator('lab-panel').evaluate((el) => el.removeAttribute('data-checks'));
    const { result, summary } = await runChecks();
    expect(result).toBe('failed');
    expect(summary).toMatch(/\d+ of \d+ checks pass/);
    expect(await page.locator('lab-panel .lab-check[data-result="fail"]').count()).toBeGreaterThan(0);
  });

  it('passes the checks after the fix (users created in the terminal, files edited and saved)', async () => {
    // One command after the other, each once the prompt is back, as a learner types them (the
    // lab shell keeps no typeahead typed while a command runs).
    for (const command of solutionCommands) {
      const before = await terminalText();
      await typeCommand(command);
      await expect.poll(async () => {
        const text = await terminalText();
        return text !== before && /learner@internet:~\$\s*$/.test(text);
      }, { timeout: 30_000 }).toBe(true);
    }
    await expect.poll(terminalText, { timeout: 30_000 }).toMatch(/cloudpets-app[\s\S]*\$\s*$/m);
    await replaceFile('mongod.conf', solution('mongod.conf'));
    await replaceFile('api/.env', solution('api/.env'));
    await page.locator('lab-panel').evaluate((el) => el.removeAttribute('data-checks'));
    const { result, summary } = await runChecks();
    const failing = await page.locator('lab-panel .lab-check[data-result="fail"]').allInnerTexts();
    expect({ result, failing }).toEqual({ result: 'passed', failing: [] });
    expect(summary).toMatch(/All \d+ checks pass/);
    await page.screenshot({ path: join(distDir, 'journey.png') });
  });
});
