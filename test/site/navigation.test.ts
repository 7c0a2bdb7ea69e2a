import { describe, expect, it } from 'vitest';
import { formatMinutes, lessonHref, neighbours, sortLessons, totalMinutes } from '../../src/navigation/lesson-order';
import { tableOfContents } from '../../src/navigation/table-of-contents';
import { isSearchShortcut } from '../../src/search/search-shortcut';
import { standardFamilies } from '../../src/content/standards-catalog';

const lesson = (id: string, order: number, duration = 10) => ({ id, data: { title: id, order, duration } });

describe('lesson order', () => {
  it('sorts by order and links neighbours', () => {
    const sorted = sortLessons([lesson('c', 3), lesson('a', 1), lesson('b', 2)]);
    expect(sorted.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(neighbours(sorted, 'a')).toEqual({ previous: undefined, next: sorted[1] });
    expect(neighbours(sorted, 'c')).toEqual({ previous: sorted[1], next: undefined });
    expect(neighbours(sorted, 'missing')).toEqual({ previous: undefined, next: undefined });
  });

  it('refuses two lessons with the same order, naming both', () => {
    expect(() => sortLessons([lesson('02-recon', 2), lesson('02-other', 2)])).toThrow(/"02-other" and "02-recon" both have order 2/);
  });

  it('sums and formats durations', () => {
    expect(totalMinutes([lesson('a', 1, 25), lesson('b', 2, 50)])).toBe(75);
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(345)).toBe('5 h 45 min');
    expect(lessonHref('02-recon')).toBe('/lessons/02-recon/');
  });
});

describe('table of contents', () => {
  it('nests h3 under the h2 before it and leaves out h1 and h4', () => {
    const toc = tableOfContents([
      { depth: 1, slug: 'title', text: 'Title' },
      { depth: 3, slug: 'early', text: 'Early' },
      { depth: 2, slug: 'one', text: 'One' },
      { depth: 3, slug: 'one-a', text: 'One A' },
      { depth: 4, slug: 'deep', text: 'Deep' },
      { depth: 2, slug: 'two', text: 'Two' },
    ]);
    expect(toc).toEqual([
      { slug: 'early', text: 'Early', children: [] },
      { slug: 'one', text: 'One', children: [{ slug: 'one-a', text: 'One A', children: [] }] },
      { slug: 'two', text: 'Two', children: [] },
    ]);
  });
});

describe('search shortcut', () => {
  const key = (key: string, modifiers: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({ key, ctrlKey: false, metaKey: false, altKey: false, ...modifiers });
  it('opens on Ctrl+K, Cmd+K and "/"', () => {
    expect(isSearchShortcut(key('k', { ctrlKey: true }), null)).toBe(true);
    expect(isSearchShortcut(key('K', { metaKey: true }), null)).toBe(true);
    expect(isSearchShortcut(key('/'), null)).toBe(true);
  });
  it('ignores plain k, Alt combinations and Ctrl+/', () => {
    expect(isSearchShortcut(key('k'), null)).toBe(false);
    expect(isSearchShortcut(key('k', { ctrlKey: true, altKey: true }), null)).toBe(false);
    expect(isSearchShortcut(key('/', { ctrlKey: true }), null)).toBe(false);
  });
});

describe('standards catalog', () => {
  it('names known ids, links each family, and leaves out empty families', () => {
    const families = standardFamilies({ owaspIot2018: ['I9'], etsi303645: [], cwe: ['CWE-306', 'CWE-9999'], attack: ['T1596.005'] });
    expect(families.map((family) => family.key)).toEqual(['owaspIot2018', 'cwe', 'attack']);
    expect(families[0]?.refs[0]).toMatchObject({ id: 'I9', name: 'Insecure Default Settings' });
    expect(families[1]?.refs).toEqual([
      { id: 'CWE-306', name: 'Missing Authentication for Critical Function', url: 'https://cwe.mitre.org/data/definitions/306.html' },
      { id: 'CWE-9999', name: undefined, url: 'https://cwe.mitre.org/data/definitions/9999.html' },
    ]);
    expect(families[2]?.refs[0]?.url).toBe('https://attack.mitre.org/techniques/T1596/005/');
  });
});
