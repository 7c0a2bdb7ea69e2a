/**
 * The lesson-only components, rendered by Astro itself: <Std> prints the catalogue's official
 * name (and refuses an id the catalogue does not hold), <CheckClaim> shows which check proves
 * the claim, and the boxes are named landmarks whose heading says what they are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { startAstroRenderer, type AstroComponent, type AstroRenderer } from './astro-renderer.ts';

let renderer: AstroRenderer;
let container: AstroContainer;
const load = (name: string): Promise<AstroComponent> => renderer.load(`/src/components/lesson/${name}.astro`);

beforeAll(async () => {
  renderer = await startAstroRenderer();
  container = renderer.container;
}, 120_000);

afterAll(async () => {
  await renderer?.close();
});

describe('<Std>', () => {
  it('links the id and prints its official name from the catalogue', async () => {
    const html = await container.renderToString(await load('Std'), { props: { id: 'T1595.001' } });
    expect(html).toContain('href="https://attack.mitre.org/techniques/T1595/001/"');
    expect(html).toMatch(/<code[^>]*>T1595\.001<\/code> Active Scanning: Scanning IP Blocks/);
  });

  it('in a table shows only the id, with the name for screen readers and as a tooltip', async () => {
    const html = await container.renderToString(await load('Std'), { props: { id: '5.1-5', short: true } });
    expect(html).toMatch(/title="ETSI EN 303 645 5\.1-5: Brute-force attacks/);
    expect(html).toMatch(/class="visually-hidden"[^>]*> Brute-force attacks/);
  });

  it('refuses an id the catalogue does not hold, naming it', async () => {
    await expect(container.renderToString(await load('Std'), { props: { id: 'CWE-9999' } })).rejects.toThrow(/CWE-9999.*standards-catalog/);
  });
});

describe('<CheckClaim>', () => {
  it('renders the claim as a list item that names its check', async () => {
    const html = await container.renderToString(await load('CheckClaim'), { props: { lab: 'recon', check: 'findings-host' }, slots: { default: 'The host is right.' } });
    expect(html).toMatch(/<li[^>]*data-lab="recon"[^>]*data-check="findings-host"/);
    expect(html).toContain('The host is right.');
    expect(html).toMatch(/<code[^>]*>findings-host<\/code>/);
  });
});

describe('lesson boxes', () => {
  it.each([
    ['LegalNotice', 'Before the first lab: the law, and what to do if you find real data'],
    ['ContentNote', 'Content note'],
    ['InRealLife', 'In real life'],
  ])('%s is an aside named by its visible title', async (name, title) => {
    const html = await container.renderToString(await load(name), { slots: { default: '<p>Body.</p>' } });
    expect(html).toMatch(new RegExp(`<aside[^>]*aria-label="${title.replace(/[:.]/g, '\\$&')}"`));
    expect(html).toMatch(new RegExp(`<strong[^>]*>${title.replace(/[:.]/g, '\\$&')}</strong>`));
    expect(html).toContain('<p>Body.</p>');
  });
});

describe('every lesson renders with its components', () => {
  it('renders each lesson body to HTML, tables of <Std short> and claims included', async () => {
    const { readLessons } = await import('./lesson-files.ts');
    // MDX needs the JSX renderer that @astrojs/mdx registers in a real build.
    const mdxServer = (await renderer.module('@astrojs/mdx/server.js')) as { default: Parameters<AstroContainer['addServerRenderer']>[0]['renderer'] };
    container.addServerRenderer({ name: 'astro:jsx', renderer: mdxServer.default });
    for (const lesson of readLessons()) {
      const html = await container.renderToString(await renderer.load(`/lessons/${lesson.id}.mdx`));
      expect(html.length, lesson.id).toBeGreaterThan(1000);
      if (lesson.body.includes('<CheckClaim')) expect(html, lesson.id).toMatch(/<li class="check-claim"/);
      if (lesson.body.includes('<Std id="I3" short />')) expect(html, lesson.id).toMatch(/<td><a class="std"[^>]*title="OWASP IoT Top 10 \(2018\) I3: Insecure Ecosystem Interfaces"/);
    }
  }, 120_000);
});
