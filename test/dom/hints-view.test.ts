/**
 * Challenge mode in the lab panel: the guided/challenge switch, the goal-only brief, and the
 * "Show next hint" button that opens a nudge, then the command, then the full solution; the
 * progress store remembers the mode and how far into the hints the learner went.
 */
import { describe, expect, it } from 'vitest';
import { createModeView } from '../../src/sandbox/hints-view.ts';
import { createProgressStore } from '../../src/progress/progress-store.ts';

// The shape lab.ts gives the panel (the real labs' content is checked in test/checks/library.test.ts).
const recon = {
  id: 'recon',
  goal: 'Find the open database and record its host, port and version.',
  challenge: {
    brief: 'Somewhere on the lab network a database answers strangers.',
    hints: ['Attackers read banners.', 'Run scan db.cloudpets.test.', 'Write host, port and version in findings.txt.'] as [string, string, string],
  },
};

function mount(store = createProgressStore()) {
  const view = createModeView(recon, store);
  document.body.replaceChildren(view);
  const radio = (mode: string) => view.querySelector<HTMLInputElement>(`[data-lab-mode="${mode}"]`)!;
  const next = view.querySelector<HTMLButtonElement>('[data-lab-next-hint]')!;
  const hints = () => [...view.querySelectorAll('.lab-hint')].map((li) => li.textContent ?? '');
  const challenge = view.querySelector<HTMLElement>('.lab-challenge')!;
  const goal = view.querySelector<HTMLElement>('.lab-goal')!;
  return { view, radio, next, hints, challenge, goal, store };
}

describe('challenge mode view', () => {
  it('starts guided: the goal shows, the challenge and its hints do not', () => {
    const { radio, challenge, goal } = mount();
    expect(radio('guided').checked).toBe(true);
    expect(goal.hidden).toBe(false);
    expect(challenge.hidden).toBe(true);
  });

  it('challenge mode shows the brief; each click opens the next hint, recorded in the store', () => {
    const { radio, next, hints, challenge, goal, store } = mount();
    radio('challenge').checked = true;
    radio('challenge').dispatchEvent(new Event('change'));
    expect(challenge.hidden).toBe(false);
    expect(goal.hidden).toBe(true);
    expect(challenge.textContent).toContain(recon.challenge!.brief);
    expect(hints()).toEqual([]);
    expect(next.textContent).toBe('Show next hint (1 of 3: a nudge)');
    next.click();
    expect(hints()).toHaveLength(1);
    expect(hints()[0]).toContain(recon.challenge!.hints[0]);
    expect(next.textContent).toBe('Show next hint (2 of 3: the command)');
    next.click();
    next.click();
    expect(hints()).toHaveLength(3);
    expect(hints()[2]).toMatch(/^Hint 3 \(the full solution\): /);
    expect(next.hidden).toBe(true);
    expect(store.getProgress().modes.recon).toEqual({ mode: 'challenge', hintsShown: 3 });
  });

  it('comes back as the learner left it', () => {
    const store = createProgressStore();
    store.setLabMode('recon', 'challenge');
    store.recordHint('recon', 2);
    const { radio, hints, challenge } = mount(store);
    expect(radio('challenge').checked).toBe(true);
    expect(challenge.hidden).toBe(false);
    expect(hints()).toHaveLength(2);
  });
});
