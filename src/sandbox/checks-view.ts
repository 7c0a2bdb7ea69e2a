/**
 * The checks list: each check with pass/fail, its one-line reason, a hint revealed on
 * request, and a link to the part of the lesson that explains it. Rendering only; running
 * the checks is the workbench's job.
 */
import type { CheckReport } from '../../sandboxes/checks/types.ts';
import { h } from './element.ts';
import { lessonAnchorHref, type LabCheckMeta } from './lab-meta.ts';

/**
 * Every check has the same visible link and button words; a hidden part of their names says
 * which check they belong to, so a list of links (or buttons) read out of context makes sense.
 * The visible words come first, so voice control users can still say them (WCAG 2.5.3).
 */
function forCheck(title: string): HTMLElement {
  return h('span', { class: 'visually-hidden' }, ` for “${title}”`);
}

function lessonLink(anchor: string, title: string): HTMLAnchorElement {
  return h('a', { class: 'lab-check-link', href: lessonAnchorHref(anchor) }, 'Where the lesson explains this', forCheck(title));
}

/** Before the first run: the checks by title, not yet run. */
export function renderPendingChecks(list: HTMLElement, checks: LabCheckMeta[]): void {
  list.replaceChildren(
    ...checks.map((check) =>
      h(
        'li',
        { class: 'lab-check', 'data-result': 'pending', 'data-check': check.id },
        h('span', { class: 'lab-check-icon', 'aria-hidden': 'true' }, '○'),
        h(
          'div',
          { class: 'lab-check-body' },
          h('p', { class: 'lab-check-title' }, h('span', { class: 'visually-hidden' }, 'Not run yet: '), check.title),
          lessonLink(check.lessonAnchor, check.title),
        ),
      ),
    ),
  );
}

export function renderCheckReport(list: HTMLElement, report: CheckReport): void {
  list.replaceChildren(
    ...report.results.map((result) => {
      const hintId = `hint-${result.id}-${Math.random().toString(36).slice(2, 7)}`;
      const hint = h('p', { class: 'lab-check-hint', id: hintId, hidden: true }, result.hint);
      const hintLabel = h('span', {}, 'Show hint');
      const hintButton = h('button', { type: 'button', class: 'lab-link-button', 'aria-expanded': 'false', 'aria-controls': hintId }, hintLabel, forCheck(result.title));
      hintButton.addEventListener('click', () => {
        const open = hint.hidden;
        hint.hidden = !open;
        hintButton.setAttribute('aria-expanded', String(open));
        hintLabel.textContent = open ? 'Hide hint' : 'Show hint';
      });
      return h(
        'li',
        { class: 'lab-check', 'data-result': result.pass ? 'pass' : 'fail', 'data-check': result.id },
        h('span', { class: 'lab-check-icon', 'aria-hidden': 'true' }, result.pass ? '✓' : '✗'),
        h(
          'div',
          { class: 'lab-check-body' },
          h('p', { class: 'lab-check-title' }, h('span', { class: 'visually-hidden' }, result.pass ? 'Passed: ' : 'Failed: '), result.title),
          h('p', { class: 'lab-check-reason' }, result.reason),
          h(
            'div',
            { class: 'lab-check-links' },
            !result.pass && result.hint ? hintButton : undefined,
            lessonLink(result.lessonAnchor, result.title),
          ),
          hint,
        ),
      );
    }),
  );
}

/** Parses `checks --json` output; a clear error when it is not a report. */
export function parseCheckOutput(output: string): CheckReport {
  const line = output
    .trim()
    .split('\n')
    .reverse()
    .find((candidate) => candidate.trim().startsWith('{'));
  if (!line) throw new Error(`the checks printed no result: ${output.trim().slice(-300) || '(no output)'}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(`the checks printed something that is not JSON: ${line.slice(0, 300)}`);
  }
  const report = parsed as Partial<CheckReport> & { error?: string };
  if (typeof report.error === 'string') throw new Error(report.error);
  if (!Array.isArray(report.results)) throw new Error('the checks result has no "results" list');
  return report as CheckReport;
}
