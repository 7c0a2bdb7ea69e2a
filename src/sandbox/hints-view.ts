/**
 * Guided or challenge mode, above the checks. Guided mode shows the lab's goal (the lesson
 * beside the panel walks through the steps). Challenge mode shows the goal-only brief and
 * hints the learner opens one at a time: a nudge, then the command, then the full solution.
 * The progress store remembers the mode per lab and how far into the hints the learner went,
 * so an instructor can tell a lab solved from the brief alone from one solved with help.
 */
import { h } from './element.ts';
import type { LabMetaJson } from './lab-meta.ts';
import type { LabMode, Progress } from '../progress/progress-store.ts';

/** What the view needs from the progress store (browser-progress.ts in the page, a fake in tests). */
export interface ModeProgress {
  getProgress(): Progress;
  setLabMode(labId: string, mode: LabMode): unknown;
  recordHint(labId: string, level: number): unknown;
}

const HINT_NAMES = ['a nudge', 'the command', 'the full solution'] as const;

export function createModeView(meta: Pick<LabMetaJson, 'id' | 'goal' | 'challenge'>, progress: ModeProgress): HTMLElement {
  const goal = h('p', { class: 'lab-goal' }, h('strong', {}, 'Goal: '), meta.goal);
  const challenge = meta.challenge;
  // A lab without challenge content keeps the guided view only.
  if (!challenge || challenge.hints.length === 0) return goal;

  const saved = progress.getProgress().modes[meta.id];
  let shown = Math.min(saved?.hintsShown ?? 0, challenge.hints.length);
  const name = `lab-mode-${meta.id}`;
  const radio = (mode: LabMode, label: string, detail: string) => {
    const input = h('input', { type: 'radio', name, value: mode, 'data-lab-mode': mode });
    return { input, label: h('label', { class: 'lab-mode-option' }, input, ` ${label} `, h('span', { class: 'lab-muted lab-small' }, detail)) };
  };
  const guided = radio('guided', 'Guided', '(follow the lesson\'s steps)');
  const challenging = radio('challenge', 'Challenge', '(the goal only; hints if you need them)');
  const switcher = h('fieldset', { class: 'lab-mode-switch' }, h('legend', {}, 'How do you want to work?'), guided.label, challenging.label);

  const hintList = h('ol', { class: 'lab-hints', 'aria-label': 'Hints', 'aria-live': 'polite' });
  const nextHint = h('button', { type: 'button', class: 'lab-button', 'data-lab-next-hint': true }, '');
  const brief = h('p', { class: 'lab-challenge-brief' }, h('strong', {}, 'Challenge: '), challenge.brief);
  const challengeArea = h('section', { class: 'lab-challenge', 'aria-label': 'Challenge' }, brief, hintList, nextHint);

  const renderHints = (): void => {
    hintList.replaceChildren(
      ...challenge.hints.slice(0, shown).map((text, i) => h('li', { class: 'lab-hint' }, h('strong', {}, `Hint ${i + 1} (${HINT_NAMES[i] ?? 'more'}): `), text)),
    );
    hintList.hidden = shown === 0;
    if (shown >= challenge.hints.length) {
      nextHint.hidden = true;
    } else {
      nextHint.hidden = false;
      nextHint.textContent = `Show next hint (${shown + 1} of ${challenge.hints.length}: ${HINT_NAMES[shown] ?? 'more'})`;
    }
  };
  const show = (mode: LabMode, remember: boolean): void => {
    guided.input.checked = mode === 'guided';
    challenging.input.checked = mode === 'challenge';
    goal.hidden = mode !== 'guided';
    challengeArea.hidden = mode !== 'challenge';
    if (remember) progress.setLabMode(meta.id, mode);
  };

  guided.input.addEventListener('change', () => show('guided', true));
  challenging.input.addEventListener('change', () => show('challenge', true));
  nextHint.addEventListener('click', () => {
    if (shown >= challenge.hints.length) return;
    shown += 1;
    progress.recordHint(meta.id, shown);
    renderHints();
    // Keep the keyboard where the new text is: on the button, or on the last hint when done.
    if (nextHint.hidden) (hintList.lastElementChild as HTMLElement | null)?.setAttribute('tabindex', '-1');
    ((nextHint.hidden ? hintList.lastElementChild : nextHint) as HTMLElement | null)?.focus();
  });

  renderHints();
  show(saved?.mode ?? 'guided', false);
  return h('div', { class: 'lab-mode', 'data-lab-mode-view': true }, switcher, goal, challengeArea);
}
