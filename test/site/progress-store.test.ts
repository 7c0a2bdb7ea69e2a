import { describe, expect, it } from 'vitest';
import { createProgressStore, progressStorageKey, parseProgress, type ProgressStorage } from '../../src/progress/progress-store';
import { lessonState } from '../../src/progress/lesson-status';
import { createLearnerStore, isLearnerSeed, learnerStorageKey, parseLearner } from '../../src/progress/learner-identity';

/** A Map-backed stand-in for localStorage; `failing` makes it throw like a blocked storage. */
function fakeStorage(initial: Record<string, string> = {}, failing: { get?: boolean; set?: boolean } = {}) {
  const values = new Map(Object.entries(initial));
  const storage: ProgressStorage = {
    getItem(key) {
      if (failing.get) throw new DOMException('The operation is insecure.', 'SecurityError');
      return values.get(key) ?? null;
    },
    setItem(key, value) {
      if (failing.set) throw new DOMException('Quota exceeded', 'QuotaExceededError');
      values.set(key, value);
    },
    removeItem(key) {
      values.delete(key);
    },
  };
  return { storage, values };
}

function setup(initial: Record<string, string> = {}, failing: { get?: boolean; set?: boolean } = {}) {
  const { storage, values } = fakeStorage(initial, failing);
  const warnings: string[] = [];
  let clock = Date.parse('2026-01-02T03:04:05.000Z');
  const store = createProgressStore({ storage, warn: (message) => warnings.push(message), now: () => new Date((clock += 1000)) });
  return { store, values, warnings };
}

describe('progress store', () => {
  it('starts empty and saves opened lessons under the versioned key', () => {
    const { store, values, warnings } = setup();
    expect(store.getProgress()).toEqual({ version: 1, lessons: {}, labs: {}, modes: {} });
    store.markOpened('02-recon');
    const saved = JSON.parse(values.get(progressStorageKey) ?? 'null');
    expect(saved).toEqual({ version: 1, lessons: { '02-recon': { openedAt: '2026-01-02T03:04:06.000Z' } }, labs: {}, modes: {} });
    expect(progressStorageKey).toBe('cloudpets-lab:progress:v1');
    expect(warnings).toEqual([]);
  });

  it('keeps the first time a lesson was opened', () => {
    const { store } = setup();
    store.markOpened('02-recon');
    store.markOpened('02-recon');
    expect(store.getProgress().lessons['02-recon']?.openedAt).toBe('2026-01-02T03:04:06.000Z');
  });

  it('reads what another page saved', () => {
    const first = setup();
    first.store.markLabPassed('recon');
    const second = setup(Object.fromEntries(first.values));
    expect(second.store.getProgress().labs.recon).toEqual({ passedAt: '2026-01-02T03:04:06.000Z', withHelp: false });
  });

  it('never downgrades a pass without help, but upgrades a helped pass', () => {
    const { store } = setup();
    store.markLabPassed('open-door', { withHelp: true });
    expect(store.getProgress().labs['open-door']?.withHelp).toBe(true);
    store.markLabPassed('open-door');
    expect(store.getProgress().labs['open-door']).toEqual({ passedAt: '2026-01-02T03:04:06.000Z', withHelp: false });
    store.markLabPassed('open-door', { withHelp: true });
    expect(store.getProgress().labs['open-door']?.withHelp).toBe(false);
  });

  it('notifies subscribers, and stops after unsubscribe', () => {
    const { store } = setup();
    const seen: string[][] = [];
    const unsubscribe = store.subscribe((progress) => seen.push(Object.keys(progress.lessons)));
    store.markOpened('a');
    unsubscribe();
    store.markOpened('b');
    expect(seen).toEqual([['a']]);
  });

  it('returns copies, so a caller cannot change the stored state by accident', () => {
    const { store } = setup();
    store.getProgress().lessons.x = { openedAt: 'whenever' };
    expect(store.getProgress().lessons).toEqual({});
  });

  it.each([
    ['not JSON', '{"version":1,', /not valid JSON/],
    ['JSON but not an object', '[1,2,3]', /not an object/],
    ['an old version', JSON.stringify({ version: 0, opened: ['02-recon'] }), /version 0, this site reads version 1/],
    ['no version', JSON.stringify({ lessons: {} }), /version undefined/],
  ])('discards a stored value that is %s, with a warning, and starts fresh', (_name, raw, reason) => {
    const { store, values, warnings } = setup({ [progressStorageKey]: raw });
    expect(store.getProgress()).toEqual({ version: 1, lessons: {}, labs: {}, modes: {} });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(reason);
    expect(warnings[0]).toContain(progressStorageKey);
    // The unreadable value is replaced, so the warning does not repeat on every page.
    expect(JSON.parse(values.get(progressStorageKey) ?? 'null')).toEqual({ version: 1, lessons: {}, labs: {}, modes: {} });
    store.markOpened('02-recon');
    expect(store.getProgress().lessons['02-recon']).toBeDefined();
  });

  it('keeps the good entries when only some are malformed', () => {
    const raw = JSON.stringify({
      version: 1,
      lessons: { good: { openedAt: '2026-01-01T00:00:00.000Z' }, bad: { openedAt: 'yesterday-ish' }, worse: 7 },
      labs: { recon: { passedAt: '2026-01-01T00:00:00.000Z', withHelp: false }, broken: { passedAt: '2026-01-01T00:00:00.000Z' } },
    });
    const { store, warnings } = setup({ [progressStorageKey]: raw });
    expect(store.getProgress()).toEqual({
      version: 1,
      lessons: { good: { openedAt: '2026-01-01T00:00:00.000Z' } },
      labs: { recon: { passedAt: '2026-01-01T00:00:00.000Z', withHelp: false } },
      modes: {},
    });
    expect(warnings[0]).toMatch(/lessons\.bad, lessons\.worse, labs\.broken/);
  });

  it('works for the page view when storage refuses to read or write', () => {
    const blocked = setup({}, { get: true, set: true });
    expect(blocked.store.getProgress()).toEqual({ version: 1, lessons: {}, labs: {}, modes: {} });
    blocked.store.markOpened('02-recon');
    expect(blocked.store.getProgress().lessons['02-recon']).toBeDefined();
    expect(blocked.warnings.some((warning) => warning.includes('could not read saved progress'))).toBe(true);
    expect(blocked.warnings.some((warning) => warning.includes('could not save progress'))).toBe(true);
  });

  it('reset forgets everything', () => {
    const { store, values } = setup();
    store.markOpened('a');
    store.markLabPassed('recon');
    expect(store.reset()).toEqual({ version: 1, lessons: {}, labs: {}, modes: {} });
    expect(JSON.parse(values.get(progressStorageKey) ?? 'null')).toEqual({ version: 1, lessons: {}, labs: {}, modes: {} });
  });

  it('reload picks up a value written by another tab', () => {
    const { store, values } = setup();
    store.getProgress();
    values.set(progressStorageKey, JSON.stringify({ version: 1, lessons: { other: { openedAt: '2026-01-01T00:00:00.000Z' } }, labs: {} }));
    expect(store.reload().lessons.other).toBeDefined();
  });
});

describe('parseProgress', () => {
  it('round-trips a valid value without a problem', () => {
    const value = { version: 1, lessons: { a: { openedAt: '2026-01-01T00:00:00.000Z' } }, labs: { b: { passedAt: '2026-01-01T00:00:00.000Z', withHelp: true } }, modes: { b: { mode: 'challenge', hintsShown: 3 } } };
    expect(parseProgress(JSON.stringify(value))).toEqual({ progress: value });
  });
});

describe('lesson state shown on the home page', () => {
  const progress = {
    version: 1 as const,
    lessons: { read: { openedAt: '2026-01-01T00:00:00.000Z' }, opened: { openedAt: '2026-01-01T00:00:00.000Z' } },
    labs: { solved: { passedAt: '2026-01-01T00:00:00.000Z', withHelp: false }, helped: { passedAt: '2026-01-01T00:00:00.000Z', withHelp: true } },
    modes: {},
  };
  it.each([
    ['new', 'recon', 'new'],
    ['read', null, 'read'],
    ['opened', 'recon', 'opened'],
    ['any', 'solved', 'passed'],
    ['any', 'helped', 'passed-with-help'],
  ] as const)('lesson %s with lab %s is %s', (lesson, lab, state) => {
    expect(lessonState(progress, lesson, lab)).toBe(state);
  });
});

describe('learner identity', () => {
  function learnerSetup(initial: Record<string, string> = {}) {
    const { storage, values } = fakeStorage(initial);
    const warnings: string[] = [];
    let n = 0;
    const store = createLearnerStore({ storage, warn: (m) => warnings.push(m), now: () => new Date('2026-01-02T03:04:05.000Z'), random: (max) => (n++ * 7) % max });
    return { store, values, warnings };
  }

  it('makes an id and a six-digit seed once, saves them, and gives the same ones on the next page', () => {
    const first = learnerSetup();
    const learner = first.store.getLearner();
    expect(learner.id).toMatch(/^l-[0-9a-f]{16}$/);
    expect(isLearnerSeed(learner.seed)).toBe(true);
    expect(learner.seed).not.toBe(2016);
    expect(first.store.getSeed()).toBe(learner.seed);
    expect(JSON.parse(first.values.get(learnerStorageKey)!)).toEqual(learner);
    const second = learnerSetup(Object.fromEntries(first.values));
    expect(second.store.getLearner()).toEqual(learner);
    expect(second.warnings).toEqual([]);
  });

  it('drops a corrupted identity with one warning and makes a new one', () => {
    for (const raw of ['not json', '{"version":1,"id":"l-0123456789abcdef","seed":12,"createdAt":"2026-01-01T00:00:00Z"}', '{"version":2}']) {
      const { store, warnings, values } = learnerSetup({ [learnerStorageKey]: raw });
      const learner = store.getLearner();
      store.getLearner();
      expect(isLearnerSeed(learner.seed)).toBe(true);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/discarded because/);
      expect(parseLearner(values.get(learnerStorageKey)!).learner).toEqual(learner);
    }
  });

  it('reset makes a new learner', () => {
    const { store } = learnerSetup();
    const before = store.getLearner();
    const after = store.reset();
    expect(after.id).not.toBe(before.id);
    expect(store.getLearner()).toEqual(after);
  });
});

describe('guided and challenge mode', () => {
  it('records the mode per lab and how far into the hints the learner went, never going back', () => {
    const { store, values, warnings } = setup();
    store.setLabMode('recon', 'challenge');
    expect(store.getProgress().modes.recon).toEqual({ mode: 'challenge', hintsShown: 0 });
    store.recordHint('recon', 1);
    store.recordHint('recon', 2);
    store.recordHint('recon', 1);
    expect(store.getProgress().modes.recon).toEqual({ mode: 'challenge', hintsShown: 2 });
    store.setLabMode('recon', 'guided');
    expect(store.getProgress().modes.recon).toEqual({ mode: 'guided', hintsShown: 2 });
    expect(() => store.recordHint('recon', 4)).toThrow(/1 to 3/);
    const again = setup(Object.fromEntries(values));
    expect(again.store.getProgress().modes).toEqual({ recon: { mode: 'guided', hintsShown: 2 } });
    expect(warnings).toEqual([]);
  });

  it('reads progress saved before challenge mode existed without a warning', () => {
    const { store, warnings } = setup({ [progressStorageKey]: JSON.stringify({ version: 1, lessons: {}, labs: { recon: { passedAt: '2026-01-01T00:00:00.000Z', withHelp: false } } }) });
    expect(store.getProgress().modes).toEqual({});
    expect(store.getProgress().labs.recon?.withHelp).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('drops a corrupted mode entry with one warning and keeps the rest', () => {
    const raw = JSON.stringify({ version: 1, lessons: {}, labs: {}, modes: { recon: { mode: 'challenge', hintsShown: 9 }, 'open-door': { mode: 'challenge', hintsShown: 1 }, cracking: { mode: 'speedrun', hintsShown: 0 } } });
    const { store, warnings } = setup({ [progressStorageKey]: raw });
    expect(store.getProgress().modes).toEqual({ 'open-door': { mode: 'challenge', hintsShown: 1 } });
    store.getProgress();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/modes\.recon, modes\.cracking/);
  });
});
