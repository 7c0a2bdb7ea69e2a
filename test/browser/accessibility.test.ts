/**
 * The lab panel for a learner on a keyboard, with a screen reader, or on a phone (issue 15),
 * in Chromium with the local runner: the terminal is no keyboard trap, focus moves only when
 * the learner asks, "Skip to the lab" reaches it, focus stays put after "Run checks", focus is
 * visible in the terminal and the editor, and nothing scrolls sideways at 320 or 390 px.
 * Screenshots go to /tmp/cloudpets-a11y-*.png for a human to look at.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable } from '../support/chromium.ts';
import { FIXTURE_PAGE, enterSite, startLabBrowser, terminalText, type LabSite } from './lab-site.ts';

const available = chromiumAvailable();
const require = createRequire(import.meta.url);
let browser: Browser;
let site: LabSite;
let distDir: string;

let labBrowser: Awaited<ReturnType<typeof startLabBrowser>> | undefined;

beforeAll(async () => {
  if (!available) return;
  labBrowser = await startLabBrowser();
  ({ distDir, site, browser } = labBrowser);
}, 600_000); // the whole site with every lab bundle, on two shared cores

afterAll(async () => {
  await labBrowser?.close();
});

async function waitForTerminal(page: Page, pattern: RegExp): Promise<void> {
  try {
    await expect.poll(() => terminalText(page), { timeout: 30_000, interval: 100 }).toMatch(pattern);
  } catch (error) {
    throw new Error(`terminal never matched ${pattern}; it shows:\n${await terminalText(page)}`, { cause: error });
  }
}

const PROMPT = /learner@internet:~\$\s*$/m;

/** What has focus, described for assertions. */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      text: element?.textContent?.trim() ?? '',
      inTerminal: Boolean(element?.closest('.lab-terminal')),
      inPanel: Boolean(element?.closest('lab-panel')),
      id: element?.id ?? '',
    };
  });
}

async function openContext(viewport: { width: number; height: number }, options: { mobile?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, ...(options.mobile ? { isMobile: true, hasTouch: true } : {}) });
  await enterSite(context, site);
  return { context, page: await context.newPage() };
}

/** Open the fixture lesson with the lab at rest, press "Start lab", wait for the prompt. */
async function startLab(page: Page): Promise<void> {
  await page.goto(`${site.url}${FIXTURE_PAGE}?lab=manual`);
  await page.getByRole('button', { name: 'Start lab' }).click();
  await waitForTerminal(page, PROMPT);
}

describe.skipIf(!available)('lab accessibility in Chromium (local runner)', () => {
  it('starting by itself never moves focus; "Start lab" puts focus in the terminal', async () => {
    const { context, page } = await openContext({ width: 1400, height: 900 });
    // Wide screen: the lab starts by itself (in view, page idle) while the learner is elsewhere.
    await page.goto(site.url + FIXTURE_PAGE);
    await page.getByRole('link', { name: 'Lessons' }).first().focus();
    await waitForTerminal(page, PROMPT);
    await expect.poll(() => page.locator('lab-panel').getAttribute('data-state')).toBe('running');
    // The editor loads after the prompt: wait for it too, the last thing the panel sets up.
    await expect.poll(() => page.locator('lab-panel .cm-editor').count()).toBeGreaterThan(0);
    expect(await focused(page)).toMatchObject({ text: 'Lessons', inPanel: false });

    // Asked for: focus goes to the terminal once it has a prompt.
    await startLab(page);
    await expect.poll(async () => (await focused(page)).inTerminal).toBe(true);
    await context.close();
  });

  it('narrow screen: the lab starting when scrolled into view leaves focus where it was', async () => {
    const { context, page } = await openContext({ width: 390, height: 844 }, { mobile: true });
    await page.goto(site.url + FIXTURE_PAGE);
    const link = page.locator('.lesson-column a').last();
    await link.focus(); // a link near the lab, as if the learner tabbed down to it
    const before = await focused(page);
    await page.locator('lab-panel').scrollIntoViewIfNeeded();
    await waitForTerminal(page, PROMPT);
    await expect.poll(() => page.locator('lab-panel .cm-editor').count()).toBeGreaterThan(0);
    expect(await focused(page)).toEqual(before);
    await context.close();
  });

  it('"Skip to the lab" is the second Tab stop and leads into the lab', async () => {
    const { context, page } = await openContext({ width: 1400, height: 900 });
    await page.goto(`${site.url}${FIXTURE_PAGE}?lab=manual`);
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Skip to the lab');
    const box = await page.evaluate(() => document.activeElement!.getBoundingClientRect().top);
    expect(box).toBeGreaterThanOrEqual(0); // visible once focused
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('lab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ text: 'Start lab', inPanel: true });
    await page.keyboard.press('Enter');
    await waitForTerminal(page, PROMPT);
    await expect.poll(async () => (await focused(page)).inTerminal).toBe(true);
    await context.close();
  });

  it('leaves the terminal with Escape then Tab (or Shift+Tab), while Tab alone and Escape still reach the shell', async () => {
    const { context, page } = await openContext({ width: 1400, height: 900 });
    await startLab(page);
    const input = page.locator('lab-panel .xterm-helper-textarea');
    await input.focus();

    // The way out is written in the terminal's bar and is the input's description.
    const description = await input.evaluate((element) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent ?? '');
    expect(description).toMatch(/Leave: Esc, then Tab/);
    expect(await page.locator('lab-panel .lab-terminal-bar').innerText()).toMatch(/Esc, then Tab/);

    // Tab alone belongs to the shell (completion): focus stays.
    await page.keyboard.type('echo complet');
    await page.keyboard.press('Tab');
    expect((await focused(page)).inTerminal).toBe(true);
    await page.keyboard.press('Control+U'); // clear the line, whatever completion did
    await page.keyboard.press('Enter');

    // Escape then another key: the Escape reaches the shell. In bash, Escape then b is
    // "back one word", so X lands before "abc".
    await page.keyboard.type('echo abc');
    await page.keyboard.press('Escape');
    const announced = await page.locator('lab-panel [data-terminal-escape-status]').innerText();
    expect(announced).toMatch(/press Tab to leave the terminal/);
    await page.keyboard.press('b');
    await page.keyboard.type('X');
    await page.keyboard.press('Enter');
    await waitForTerminal(page, /^Xabc$/m);
    expect(await page.locator('lab-panel [data-terminal-escape-status]').innerText()).toBe('');

    // Escape then Tab: out, to the next control after the terminal (the Checks tab).
    await waitForTerminal(page, PROMPT);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ inTerminal: false, text: 'Checks' });

    // Back in, Escape then Shift+Tab: out the other way, to the bar's last control.
    await input.focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ inTerminal: false, text: 'Screen reader mode' });

    // The dropped Escape did not reach the shell: the next line runs as typed.
    await input.focus();
    await page.keyboard.type('echo still-$((1+1))');
    await page.keyboard.press('Enter');
    await waitForTerminal(page, /^still-2$/m);
    await context.close();
  });

  it('"Run checks" keeps focus while the checks run and after', async () => {
    const { context, page } = await openContext({ width: 1400, height: 900 });
    await startLab(page);
    const run = page.getByRole('button', { name: 'Run checks' });
    await run.focus();
    // The fixture's checks finish in moments: record the button's states as they happen.
    await run.evaluate((button) => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => seen.push(`${button.getAttribute('aria-disabled')}:${document.activeElement === button}`)).observe(button, { attributes: true, attributeFilter: ['aria-disabled', 'disabled'] });
    });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('lab-panel').getAttribute('data-checks'), { timeout: 30_000 }).toBe('failed');
    // Marked busy while running (aria-disabled, not disabled), with focus on it all along.
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(['true:true', 'null:true']);
    expect((await focused(page)).text).toBe('Run checks');
    expect(await run.isDisabled()).toBe(false);
    // Each check's links and hint buttons say which check they belong to.
    const link = page.locator('lab-panel .lab-check[data-check="door"] a.lab-check-link');
    expect(await link.evaluate((element) => element.textContent)).toBe('Where the lesson explains this for “The door is closed”');
    await expect.poll(() => page.getByRole('button', { name: 'Show hint for “The door is closed”' }).count()).toBe(1);
    // axe on the running panel with a failed report, a hint open and the editor loaded.
    await page.getByRole('button', { name: 'Show hint for “The door is closed”' }).click();
    await expect.poll(() => page.locator('lab-panel .cm-editor').count()).toBeGreaterThan(0);
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Element, options: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
      const result = await axe.run(document.querySelector('lab-panel')!, { resultTypes: ['violations'] });
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations).toEqual([]);
    await context.close();
  });

  it('terminal and editor show a visible focus ring', async () => {
    const { context, page } = await openContext({ width: 1400, height: 900 });
    await startLab(page);
    const ring = (selector: string) =>
      page.locator(selector).evaluate((element) => {
        const style = getComputedStyle(element);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), shadow: style.boxShadow };
      });
    const terminal = page.locator('lab-panel .lab-terminal');
    await page.getByRole('button', { name: 'Run checks' }).focus(); // out of the terminal that Start lab focused
    expect((await ring('lab-panel .lab-terminal')).style).toBe('none');
    await page.locator('lab-panel .xterm-helper-textarea').focus();
    const terminalRing = await ring('lab-panel .lab-terminal');
    expect(terminalRing.style).toBe('solid');
    expect(terminalRing.width).toBeGreaterThanOrEqual(2);
    await terminal.screenshot({ path: '/tmp/cloudpets-a11y-terminal-focus.png' });

    await page.getByRole('tab', { name: 'Files' }).click();
    const editor = page.getByRole('textbox', { name: 'settings.yaml', exact: true });
    await expect.poll(() => editor.innerText()).toContain('door: open');
    expect((await ring('lab-panel .cm-editor')).style).toBe('none');
    await editor.focus();
    const editorRing = await ring('lab-panel .cm-editor');
    expect(editorRing.style).toBe('solid');
    expect(editorRing.width).toBeGreaterThanOrEqual(2);
    await page.locator('lab-panel .lab-dock').screenshot({ path: '/tmp/cloudpets-a11y-editor-focus.png' });
    await context.close();
  });

  it('terminal bar: text at least 12 px, controls at least 24 px tall', async () => {
    const { context, page } = await openContext({ width: 1400, height: 900 });
    await startLab(page);
    await page.getByRole('button', { name: 'Run checks' }).click();
    await expect.poll(() => page.locator('lab-panel').getAttribute('data-checks'), { timeout: 30_000 }).toBe('failed');
    const sizes = await page.evaluate(() => {
      const out: { what: string; font: number; height: number }[] = [];
      const visible = (element: Element) => (element as HTMLElement).offsetParent !== null && !element.closest('.visually-hidden');
      for (const element of document.querySelectorAll('lab-panel .lab-terminal-bar *, lab-panel .lab-check-links *')) {
        if (!visible(element) || !element.textContent?.trim()) continue;
        out.push({ what: element.textContent.trim().slice(0, 30), font: parseFloat(getComputedStyle(element).fontSize), height: element.getBoundingClientRect().height });
      }
      for (const element of document.querySelectorAll('lab-panel .lab-terminal-bar button, lab-panel .lab-check-links :is(a, button)')) {
        out.push({ what: `target ${element.textContent?.trim().slice(0, 30)}`, font: 12, height: element.getBoundingClientRect().height });
      }
      return out;
    });
    expect(sizes.length).toBeGreaterThan(3);
    expect(sizes.filter((size) => size.font < 12)).toEqual([]);
    expect(sizes.filter((size) => size.what.startsWith('target') && size.height < 24)).toEqual([]);
    await context.close();
  });

  for (const width of [320, 390]) {
    it(`${width} px phone: the running lab fits, nothing scrolls sideways, the editor is usable`, async () => {
      const { context, page } = await openContext({ width, height: 740 }, { mobile: true });
      await startLab(page);
      await page.locator('lab-panel').scrollIntoViewIfNeeded();
      const layout = await page.evaluate(() => {
        const rect = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
        return { scroll: document.documentElement.scrollWidth, inner: window.innerWidth, panel: rect('lab-panel').right, terminal: rect('lab-panel .xterm-screen').right, save: rect('lab-panel .lab-runtime').right };
      });
      expect(layout.scroll).toBeLessThanOrEqual(layout.inner);
      expect(layout.panel).toBeLessThanOrEqual(layout.inner);
      expect(layout.terminal).toBeLessThanOrEqual(layout.panel);
      expect(layout.save).toBeLessThanOrEqual(layout.panel);
      await page.screenshot({ path: `/tmp/cloudpets-a11y-phone-${width}-terminal.png` });
      await page.getByRole('tab', { name: 'Files' }).click();
      const editor = page.getByRole('textbox', { name: 'settings.yaml', exact: true });
      await expect.poll(() => editor.innerText()).toContain('door: open');
      const sizes = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        editor: document.querySelector('lab-panel .cm-editor')!.getBoundingClientRect().height,
        save: document.querySelector('lab-panel [data-lab-save]')!.getBoundingClientRect().right,
        lineHeight: (document.querySelector('lab-panel .cm-line') as HTMLElement).getBoundingClientRect().height,
      }));
      expect(sizes.scroll).toBeLessThanOrEqual(width);
      expect(sizes.save).toBeLessThanOrEqual(width);
      // Room for at least ten lines of code.
      expect(sizes.editor).toBeGreaterThanOrEqual(10 * sizes.lineHeight);
      await page.locator('lab-panel').screenshot({ path: `/tmp/cloudpets-a11y-phone-${width}-editor.png` });
      await context.close();
    });
  }
});
