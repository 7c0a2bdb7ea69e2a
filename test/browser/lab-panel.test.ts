/**
 * The learner's journey through the lab panel in Chromium, with the local runner (the site
 * served the way `npm start` serves it): prompt, a command and its output, edit and save,
 * checks failing then passing, the edit surviving a reload, reset, and a recording played.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable } from '../support/chromium.ts';
import { FIXTURE_LAB } from './lab-fixture.ts';
import { FIXTURE_PAGE, enterSite, startLabBrowser, terminalText, type LabSite } from './lab-site.ts';

const available = chromiumAvailable();
let browser: Browser;
let site: LabSite;
let distDir: string;

let labBrowser: Awaited<ReturnType<typeof startLabBrowser>> | undefined;

beforeAll(async () => {
  if (!available) return;
  labBrowser = await startLabBrowser();
  ({ distDir, site, browser } = labBrowser);
});

afterAll(async () => {
  await labBrowser?.close();
});

async function waitForTerminal(page: Page, pattern: RegExp): Promise<void> {
  try {
    await expect.poll(() => terminalText(page), { timeout: 20_000, interval: 100 }).toMatch(pattern);
  } catch (error) {
    throw new Error(`terminal never matched ${pattern}; it shows:\n${await terminalText(page)}`, { cause: error });
  }
}

async function typeCommand(page: Page, command: string): Promise<void> {
  await page.locator('lab-panel .xterm-helper-textarea').focus();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

const editor = (page: Page, path: string) => page.getByRole('textbox', { name: path, exact: true });

describe.skipIf(!available)('lab panel in Chromium (local runner)', () => {
  let page: Page;

  beforeAll(async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    await enterSite(context, site);
    page = await context.newPage();
  });

  it('starts the lab and shows a prompt, with the runtime named', async () => {
    await page.goto(site.url + FIXTURE_PAGE);
    await waitForTerminal(page, /learner@internet:~\$\s*$/m);
    await expect.poll(() => page.locator('[data-lab-runtime]').innerText()).toMatch(/Local runner/);
    expect(await page.getByRole('region', { name: 'Terminal', exact: true }).count()).toBe(1);
  });

  it('runs a typed command and shows its output', async () => {
    await typeCommand(page, 'echo "answer=$((6*7))"; cat README.txt');
    await waitForTerminal(page, /answer=42[\s\S]*Close the door in settings\.yaml\./);
  });

  it('resizes the terminal with its container, and the shell sees the new size', async () => {
    await typeCommand(page, 'echo cols=$(tput cols)');
    await waitForTerminal(page, /cols=(\d+)/);
    const before = Number(/cols=(\d+)/.exec(await terminalText(page))![1]);
    await page.setViewportSize({ width: 1800, height: 900 });
    await typeCommand(page, 'clear; echo wide=$(tput cols)');
    await waitForTerminal(page, /wide=(\d+)/);
    const after = Number(/wide=(\d+)/.exec(await terminalText(page))![1]);
    expect(after).toBeGreaterThan(before);
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('pastes with Ctrl+Shift+V and switches screen-reader mode on', async () => {
    await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((40+2))'));
    await page.locator('lab-panel .xterm-helper-textarea').focus();
    await page.keyboard.press('Control+Shift+V');
    await waitForTerminal(page, /\$ echo pasted-\$\(\(40\+2\)\)\s*$/m); // pasted on the prompt, not run yet
    await page.keyboard.press('Enter');
    await waitForTerminal(page, /^pasted-42/m);
    const toggle = page.getByRole('button', { name: 'Screen reader mode' });
    expect(await page.locator('lab-panel .xterm-accessibility-tree').count()).toBe(0);
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('lab-panel .xterm-accessibility-tree').count()).toBe(1);
    await toggle.click();
  });

  it('runs the checks and shows them failing with a reason and a hint on request', async () => {
    await page.getByRole('button', { name: 'Run checks' }).click();
    const check = page.locator('lab-panel .lab-check[data-check="door"]');
    await expect.poll(() => check.getAttribute('data-result'), { timeout: 20_000 }).toBe('fail');
    expect(await check.innerText()).toContain('settings.yaml still says the door is open');
    const hint = check.locator('.lab-check-hint');
    expect(await hint.isVisible()).toBe(false);
    await check.getByRole('button', { name: 'Show hint' }).click();
    expect(await hint.innerText()).toBe('Change open to closed and save.');
    expect(await check.getByRole('link', { name: /Where the lesson explains this/ }).getAttribute('href')).toBe('/lessons/03-the-open-door/#fix');
  });

  it('edits and saves a file with Ctrl+S; the lab sees it', async () => {
    await page.getByRole('tab', { name: 'Files' }).click();
    const settings = editor(page, 'settings.yaml');
    await expect.poll(() => settings.innerText()).toContain('door: open');
    await settings.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('door: closed\n');
    await page.keyboard.press('Control+S');
    await expect.poll(() => page.locator('lab-panel .lab-editor-status').innerText()).toBe('Saved settings.yaml');
    await typeCommand(page, 'cat settings.yaml');
    await waitForTerminal(page, /cat settings\.yaml\s+door: closed/);
  });

  it('opens a file outside the editable list read-only', async () => {
    await page.getByRole('combobox', { name: /Open another lab file/ }).selectOption('README.txt');
    const readme = editor(page, 'README.txt');
    await expect.poll(() => readme.innerText()).toContain('Close the door');
    expect(await readme.getAttribute('contenteditable')).toBe('false');
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
  });

  it('runs the checks again and sees them pass; the lab is marked passed', async () => {
    await page.getByRole('tab', { name: 'Checks' }).click();
    await page.getByRole('button', { name: 'Run checks' }).click();
    const check = page.locator('lab-panel .lab-check[data-check="door"]');
    await expect.poll(() => check.getAttribute('data-result'), { timeout: 20_000 }).toBe('pass');
    expect(await page.locator('lab-panel .lab-checks-summary').innerText()).toMatch(/All 1 checks pass/);
    const progress = await page.evaluate(() => localStorage.getItem('cloudpets-lab:progress:v1'));
    expect(JSON.parse(progress ?? '{}').labs?.[FIXTURE_LAB]).toMatchObject({ withHelp: false });
  });

  it('plays a recording from downloads/', async () => {
    await typeCommand(page, 'cp .lab/sample.wav downloads/call-1.wav && echo copied');
    await waitForTerminal(page, /^copied$/m);
    await page.getByRole('tab', { name: 'Recordings' }).click();
    const play = page.getByRole('button', { name: /Play call-1\.wav/ });
    await expect.poll(async () => { await page.getByRole('button', { name: 'Refresh' }).click(); return play.count(); }, { timeout: 10_000 }).toBe(1);
    await play.click();
    const audio = page.getByLabel('Recording player');
    await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.src)).toMatch(/^blob:/);
    await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.duration), { timeout: 10_000 }).toBeGreaterThan(0.15);
  });

  it('finds the edit and the downloads still there after a reload', async () => {
    // The downloads is saved in the browser on a short timer: wait for it to be stored.
    await expect
      .poll(
        () =>
          page.evaluate(
            () =>
              new Promise<boolean>((resolve) => {
                const open = indexedDB.open('cloudpets-labs');
                open.onsuccess = () => {
                  const get = open.result.transaction('labs').objectStore('labs').get('fixture-lab');
                  get.onsuccess = () => resolve(Boolean(get.result?.downloads?.['downloads/call-1.wav']));
                };
                open.onerror = () => resolve(false);
              }),
          ),
        { timeout: 15_000 },
      )
      .toBe(true);
    await page.reload();
    await waitForTerminal(page, /\$\s*$/m);
    await typeCommand(page, 'cat settings.yaml; ls downloads');
    await waitForTerminal(page, /door: closed[\s\S]*call-1\.wav/);
    await page.getByRole('tab', { name: 'Files' }).click();
    await expect.poll(() => editor(page, 'settings.yaml').innerText()).toContain('door: closed');
  });

  it('resets the lab after a confirmation: the edit and the downloads are gone, also after a reload', async () => {
    await page.getByRole('tab', { name: 'Checks' }).click();
    await page.getByRole('button', { name: 'Reset lab' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset this lab?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await typeCommand(page, 'cat settings.yaml');
    await waitForTerminal(page, /door: closed\s*\n.*\$\s*$/m); // cancel changed nothing
    await page.getByRole('button', { name: 'Reset lab' }).click();
    await page.getByRole('dialog', { name: 'Reset this lab?' }).getByRole('button', { name: 'Reset lab' }).click();
    await expect.poll(() => page.locator('lab-panel .lab-checks-summary').innerText(), { timeout: 20_000 }).toMatch(/back to its starting files/);
    await page.getByRole('tab', { name: 'Files' }).click();
    await expect.poll(() => editor(page, 'settings.yaml').innerText()).toContain('door: open');
    await page.reload();
    await waitForTerminal(page, /\$\s*$/m);
    await typeCommand(page, 'cat settings.yaml; ls downloads | wc -l');
    await waitForTerminal(page, /door: open\s+0\s/);
  });

  it('discards corrupted saved work with a warning and starts from the starting files', async () => {
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const open = indexedDB.open('cloudpets-labs');
          open.onsuccess = () => {
            const tx = open.result.transaction('labs', 'readwrite');
            tx.objectStore('labs').put({ version: 1, labId: 'fixture-lab', files: { 'settings.yaml': 42 } }, 'fixture-lab');
            tx.oncomplete = () => resolve();
          };
        }),
    );
    await page.reload();
    await waitForTerminal(page, /\$\s*$/m);
    await expect.poll(() => page.locator('lab-panel .lab-notices').innerText()).toMatch(/could not be read .*file "settings.yaml" is not text.* discarded/);
    await typeCommand(page, 'cat settings.yaml');
    await waitForTerminal(page, /cat settings\.yaml\s+door: open/);
  });

  it('says plainly when the in-browser runtime cannot start offline, and how to run locally', { timeout: 60_000 }, async () => {
    const offline = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await offline.route(/^(?!http:\/\/(127\.0\.0\.1|localhost)[:/])/, (route) => route.abort('internetdisconnected'));
    await enterSite(offline, site);
    const tab = await offline.newPage();
    await tab.goto(`${site.url}${FIXTURE_PAGE}?runtime=webcontainer`);
    await expect.poll(() => tab.locator('[data-lab-runtime]').innerText()).toMatch(/WebContainer/);
    await expect.poll(() => tab.locator('lab-panel').getAttribute('data-state'), { timeout: 40_000 }).toBe('failed');
    const message = await tab.locator('lab-panel [data-lab-status]').innerText();
    expect(message).toMatch(/did not start within 20 seconds/);
    expect(message).toMatch(/npm install && npm start/);
    await offline.close();
  });

  it('shows the solution only after a confirmation, then marks the lab done with help', async () => {
    await page.evaluate(() => localStorage.removeItem('cloudpets-lab:progress:v1'));
    await page.reload();
    await waitForTerminal(page, /\$\s*$/m);
    await page.getByRole('tab', { name: 'Checks' }).click();
    await page.getByRole('button', { name: 'Show solution' }).click();
    await page.getByRole('dialog', { name: 'Show the solution?' }).getByRole('button', { name: 'Show solution' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: /Solution:/ }).count()).toBe(1);
    await expect
      .poll(async () => JSON.parse((await page.evaluate(() => localStorage.getItem('cloudpets-lab:progress:v1'))) ?? '{}').labs?.[FIXTURE_LAB])
      .toMatchObject({ withHelp: true });
  });
});
