/**
 * Every course diagram, rendered by Astro itself and checked in Chromium: the SVG is exposed
 * as one image whose accessible name (computed by the browser) is its title, it has a text
 * alternative a reader can open, ids are unique, and axe-core finds no serious or critical
 * violation. Skips with a reason when Chromium is missing (fails under CI).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAstroRenderer, type AstroRenderer } from './astro-renderer.ts';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumAvailable, chromiumPath } from '../support/chromium.ts';
import { ROOT } from './lesson-files.ts';

const DIAGRAMS_DIR = join(ROOT, 'src', 'components', 'diagrams');
/** Building blocks that need props; every lesson diagram is built from them. */
const BASES = new Set(['Figure', 'Sequence', 'ConfigBeforeAfter']);
const diagrams = readdirSync(DIAGRAMS_DIR)
  .filter((f) => f.endsWith('.astro'))
  .map((f) => f.replace(/\.astro$/, ''))
  .filter((name) => !BASES.has(name))
  .sort();

const haveChromium = chromiumAvailable();

describe.skipIf(!haveChromium)('course diagrams in the browser', () => {
  let renderer: AstroRenderer;
  let browser: Browser;
  let page: Page;
  const rendered = new Map<string, string>();

  beforeAll(async () => {
    renderer = await startAstroRenderer();
    for (const name of diagrams) {
      rendered.set(name, await renderer.container.renderToString(await renderer.load(`/src/components/diagrams/${name}.astro`)));
    }
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    page = await browser.newPage();
    const body = [...rendered].map(([name, html]) => `<section data-component="${name}"><h2>${name}</h2>${html}</section>`).join('\n');
    await page.setContent(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Diagrams</title></head><body><main>${body}</main></body></html>`);
    await page.addScriptTag({ content: readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8') });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await renderer?.close();
  });

  it('finds the diagrams to check', () => {
    expect(diagrams.length).toBeGreaterThanOrEqual(11);
    expect(rendered.size).toBe(diagrams.length);
  });

  it.each(diagrams)('%s is one image named by its title, with a text alternative', async (name) => {
    const section = page.locator(`section[data-component="${name}"]`);
    const svg = section.locator('svg');
    await expect(svg.count()).resolves.toBe(1);
    const title = (await svg.locator('title').first().textContent())?.trim() ?? '';
    expect(title.length, `${name}: <title>`).toBeGreaterThan(4);
    // The browser's own accessibility tree decides the name, not our markup reading.
    await expect(section.getByRole('img', { name: title, exact: true }).count()).resolves.toBe(1);
    const desc = (await svg.locator('desc').first().textContent())?.trim() ?? '';
    expect(desc.length, `${name}: <desc>`).toBeGreaterThan(40);
    const alternative = (await section.locator('details.diagram-text').textContent())?.trim() ?? '';
    expect(alternative.length, `${name}: text alternative`).toBeGreaterThan(60);
    await expect(section.locator('figcaption').count()).resolves.toBe(1);
  });

  it('uses each id once on a page that shows every diagram', async () => {
    const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(duplicates).toEqual([]);
  });

  it('has no serious or critical axe-core violations', async () => {
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
    });
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious).toEqual([]);
  });

  it('draws with theme colours: no hard-coded fill or stroke colours in the markup', () => {
    for (const [name, html] of rendered) {
      const hardCoded = [...html.matchAll(/\b(fill|stroke)="(#[0-9a-f]{3,8}|rgb[^"]*|[a-z]+)"/gi)].map((m) => m[0]).filter((attr) => !/="(none|currentColor|transparent)"/i.test(attr));
      expect(hardCoded, name).toEqual([]);
    }
  });
});
