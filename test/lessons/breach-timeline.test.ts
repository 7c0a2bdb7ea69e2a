/**
 * The breach timeline is told once: lesson 1's drawing and the home page's summary both come
 * from src/content/breach-timeline.ts, so the home page can only show a subset of the lesson's
 * dates, word for word, never a date at another precision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { BREACH_EVENTS, daysBetween } from '../../src/content/breach-timeline.ts';
import { startAstroRenderer, type AstroComponent, type AstroRenderer } from './astro-renderer.ts';

let renderer: AstroRenderer;
let timeline: AstroComponent;
let container: AstroContainer;

beforeAll(async () => {
  renderer = await startAstroRenderer();
  container = renderer.container;
  timeline = await renderer.load('/src/components/diagrams/BreachTimeline.astro');
}, 120_000);

afterAll(async () => {
  await renderer?.close();
});

/** Text of each <li> in the HTML, tags dropped and white space folded. */
function items(html: string): string[] {
  return [...html.matchAll(/<li\b[^>]*>([\s\S]*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/\s+/g, ' ').trim());
}

const MONTH_DAY = /\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)\b/;

describe('the breach timeline data', () => {
  it('has every stretch of time end after it starts, and events in date order', () => {
    for (const event of BREACH_EVENTS) if (event.to) expect(daysBetween(event.from, event.to), event.id).toBeGreaterThan(0);
    const starts = BREACH_EVENTS.map((e) => e.from);
    expect(starts).toEqual([...starts].sort());
  });

  it('never prints a day for a start the sources give only to the week', () => {
    const approximate = BREACH_EVENTS.filter((e) => e.startIsApproximate);
    expect(approximate.length).toBeGreaterThan(0);
    for (const event of approximate) expect(event.when, event.id).not.toMatch(MONTH_DAY);
  });
});

describe('<BreachTimeline>', () => {
  it('draws every event to scale and lists every one in its text alternative', async () => {
    const html = await container.renderToString(timeline);
    expect(html).toMatch(/<svg[^>]*role="img"/);
    for (const event of BREACH_EVENTS) expect(html, event.id).toContain(`>${event.label.replace(/'/g, '&#39;')}</text>`);
    expect(items(html)).toEqual(BREACH_EVENTS.map((e) => `${e.when}: ${e.text}`));
  });

  it('on the home page lists the headline events with the same dates and words as the lesson', async () => {
    const lesson = items(await container.renderToString(timeline));
    const summary = items(await container.renderToString(timeline, { props: { variant: 'summary' } }));
    const headline = BREACH_EVENTS.filter((e) => e.headline);
    expect(headline.length).toBeGreaterThanOrEqual(3);
    expect(summary).toEqual(headline.map((e) => `${e.when} ${e.text}`));
    for (const event of headline) expect(lesson).toContain(`${event.when}: ${event.text}`);
  });
});
