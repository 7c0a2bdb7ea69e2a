/**
 * The dock's tabs follow the WAI-ARIA tabs pattern: one panel shows, the selected tab is the
 * only Tab stop, and the arrow keys move between tabs (wrapping round).
 */
import { describe, expect, it } from 'vitest';
import { createDockTabs } from '../../src/sandbox/dock-tabs.ts';

describe('the dock tabs', () => {
  it('shows one panel, keeps one Tab stop, and moves with the arrow keys', () => {
    const dock = createDockTabs(['Checks', 'Files', 'Recordings'] as const);
    document.body.replaceChildren(dock.tablist, ...Object.values<HTMLElement>(dock.panels));
    const state = () => ({
      selected: (['Checks', 'Files', 'Recordings'] as const).filter((name) => dock.tab(name).getAttribute('aria-selected') === 'true'),
      tabStops: (['Checks', 'Files', 'Recordings'] as const).filter((name) => dock.tab(name).tabIndex === 0),
      shown: (['Checks', 'Files', 'Recordings'] as const).filter((name) => !dock.panels[name].hidden),
    });
    expect(state()).toEqual({ selected: ['Checks'], tabStops: ['Checks'], shown: ['Checks'] });
    expect(dock.panels.Files.getAttribute('aria-labelledby')).toBe(dock.tab('Files').id);

    dock.tab('Checks').focus();
    dock.tablist.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
    expect(state()).toEqual({ selected: ['Recordings'], tabStops: ['Recordings'], shown: ['Recordings'] });
    expect(document.activeElement).toBe(dock.tab('Recordings'));

    dock.tablist.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(state().selected).toEqual(['Checks']);

    dock.tab('Files').click();
    expect(state()).toEqual({ selected: ['Files'], tabStops: ['Files'], shown: ['Files'] });
    dock.select('Checks');
    expect(state().shown).toEqual(['Checks']);
  });
});
