/**
 * The dock under the terminal: one tab per part (Checks, Files, Recordings), with the WAI-ARIA
 * tabs pattern (arrow keys move between tabs; only the selected tab is a Tab stop). Written
 * here rather than taken from a library: it is thirty lines, and the panel builds its DOM in
 * code after the lab starts, where a component library's markup would not be.
 */
import { h } from './element.ts';

export interface DockTabs<Name extends string> {
  tablist: HTMLElement;
  panels: Record<Name, HTMLElement>;
  select(name: Name): void;
  /** The tab button of a part (to refresh a part when its tab is opened). */
  tab(name: Name): HTMLButtonElement;
}

export function createDockTabs<Name extends string>(names: readonly [Name, ...Name[]]): DockTabs<Name> {
  const tablist = h('div', { class: 'lab-dock-tabs', role: 'tablist', 'aria-label': 'Lab tools' });
  const entries = names.map((name, index) => {
    const id = `lab-dock-${name.toLowerCase()}-${Math.random().toString(36).slice(2, 7)}`;
    const tab = h('button', { type: 'button', role: 'tab', id: `${id}-tab`, 'aria-controls': id, class: 'lab-dock-tab', 'data-dock': name }, name);
    const panel = h('div', { role: 'tabpanel', id, 'aria-labelledby': `${id}-tab`, class: 'lab-dock-panel', hidden: index !== 0 });
    tablist.append(tab);
    return { name, tab, panel };
  });
  const select = (name: Name): void => {
    for (const entry of entries) {
      const active = entry.name === name;
      entry.tab.setAttribute('aria-selected', String(active));
      entry.tab.tabIndex = active ? 0 : -1;
      entry.panel.hidden = !active;
    }
  };
  for (const entry of entries) entry.tab.addEventListener('click', () => select(entry.name));
  tablist.addEventListener('keydown', (event) => {
    const index = entries.findIndex((entry) => entry.tab.getAttribute('aria-selected') === 'true');
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = entries[(index + step + entries.length) % entries.length]!;
    select(next.name);
    next.tab.focus();
  });
  select(names[0]);
  const panels = {} as Record<Name, HTMLElement>;
  for (const entry of entries) panels[entry.name] = entry.panel;
  const find = (name: Name) => entries.find((entry) => entry.name === name)!;
  return {
    tablist,
    panels,
    select,
    tab: (name) => find(name).tab,
  };
}
