/**
 * The checks part of the lab panel: the "Run checks" button, the summary line and the checks
 * list (drawn by checks-view.ts). It runs the checks through the runtime's lab operation and
 * shows every new report, whether it came from the button or from `checks` typed in the
 * terminal. The result also goes on the panel as data-checks (running, passed, failed,
 * error) so the page and its tests can tell where the checks are without reading the text.
 */
import type { CheckReport } from '../../sandboxes/checks/types.ts';
import type { LabSession } from '../runtimes/runtime.ts';
import { h } from './element.ts';
import type { LabMetaJson } from './lab-meta.ts';
import type { Notify } from './lab-notices.ts';
import { renderCheckReport, renderPendingChecks } from './checks-view.ts';

export interface ChecksPartOptions {
  /** The lab panel: carries data-checks. */
  panel: HTMLElement;
  lab: Pick<LabMetaJson, 'id' | 'checks' | 'editable'>;
  session: Pick<LabSession, 'runChecks' | 'onReport'>;
  /** Where a passed lab is remembered (browser-progress.ts in the page). */
  progress: { markLabPassed(labId: string): unknown };
  /** Editable files with unsaved changes: the checks use the saved version, so the learner is told. */
  unsavedPaths(): string[];
  notice: Notify;
  /** After each report is shown (the hand-in keeps the latest archive, or hands in on a pass). */
  afterReport?(report: CheckReport): unknown;
  /** After each run from the button, passed or not (the learner's outputs may have changed). */
  afterRun?(): unknown;
}

export interface ChecksPart {
  runButton: HTMLButtonElement;
  summary: HTMLElement;
  list: HTMLElement;
  showReport(report: CheckReport): void;
  /** A message in the summary line (what a reset is doing). */
  say(text: string): void;
  /** Back to "not run yet" (after a reset). */
  clear(text: string): void;
}

export function createChecksPart(options: ChecksPartOptions): ChecksPart {
  const { panel, lab, session, progress, notice } = options;
  const runButton = h('button', { type: 'button', class: 'lab-button lab-button-primary', 'data-lab-run-checks': true }, 'Run checks');
  const summary = h('p', { class: 'lab-checks-summary', role: 'status', 'aria-live': 'polite' }, 'Checks have not run yet.');
  const list = h('ul', { class: 'lab-checks', 'aria-label': 'Checks' });
  renderPendingChecks(list, lab.checks);

  // The report the list shows, by start time: the button's run also arrives through onReport.
  let shownReportAt = '';
  const showReport = (report: CheckReport): void => {
    shownReportAt = report.startedAt ?? shownReportAt;
    renderCheckReport(list, report);
    summary.textContent = report.passed ? `All ${report.total} checks pass. Lesson done!` : `${report.passedCount} of ${report.total} checks pass.`;
    panel.dataset.checks = report.passed ? 'passed' : 'failed';
    void options.afterReport?.(report);
    if (report.passed) progress.markLabPassed(lab.id);
  };
  // Every new report (from the button or `checks` typed in the terminal) comes from the runtime.
  session.onReport((report) => {
    if (report.lab === lab.id && report.startedAt !== shownReportAt) showReport(report);
  });

  runButton.addEventListener('click', async () => {
    // aria-disabled, not disabled: a disabled button drops keyboard focus to the page body, and
    // the learner who pressed it should find focus where it was when the result comes.
    if (runButton.getAttribute('aria-disabled') === 'true') return;
    runButton.setAttribute('aria-disabled', 'true');
    panel.dataset.checks = 'running';
    summary.textContent = 'Running checks… (the lab services restart with your files)';
    try {
      for (const path of options.unsavedPaths()) notice(`${path} has unsaved changes: the checks use the saved version.`, 'warning');
      showReport(await session.runChecks());
    } catch (error) {
      panel.dataset.checks = 'error';
      summary.textContent = `The checks could not run: ${(error as Error).message}`;
    } finally {
      runButton.removeAttribute('aria-disabled');
      void options.afterRun?.();
    }
  });

  return {
    runButton,
    summary,
    list,
    showReport,
    say: (text) => void (summary.textContent = text),
    clear(text) {
      renderPendingChecks(list, lab.checks);
      summary.textContent = text;
      panel.dataset.checks = '';
    },
  };
}
