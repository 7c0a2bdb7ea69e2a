/**
 * The checks part of the lab panel against a fake lab session: Run checks shows each check
 * passing or failing, keeps keyboard focus on the button while it is busy (aria-disabled, not
 * disabled), ignores presses while busy, says why when the checks cannot run, and shows reports
 * that arrive from the terminal's `checks` too.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChecksPart, type ChecksPartOptions } from '../../src/sandbox/checks-part.ts';
import { fakeLabSession, reportOf, type FakeLabSession } from './fake-lab-session.ts';
import type { CheckReport } from '../../src/runtimes/runtime.ts';

const lab = {
  id: 'open-door',
  editable: ['settings.yaml'],
  checks: [
    { id: 'door', title: 'Check door', lessonAnchor: '03-the-open-door#fix' },
    { id: 'lock', title: 'Check lock', lessonAnchor: '03-the-open-door#fix' },
  ],
};

function mount(session: FakeLabSession, overrides: Partial<ChecksPartOptions> = {}) {
  const panel = document.createElement('div');
  const progress = { markLabPassed: vi.fn() };
  const notice = vi.fn();
  const afterReport = vi.fn();
  const afterRun = vi.fn();
  const part = createChecksPart({ panel, lab, session, progress, notice, unsavedPaths: () => [], afterReport, afterRun, ...overrides });
  panel.append(part.runButton, part.summary, part.list);
  document.body.replaceChildren(panel);
  const results = () => Object.fromEntries([...part.list.querySelectorAll<HTMLElement>('li')].map((li) => [li.dataset.check, li.dataset.result]));
  return { panel, part, progress, notice, afterReport, afterRun, results };
}

/** A promise the test settles by hand, to look at the part while the checks run. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

afterEach(() => document.body.replaceChildren());

describe('the checks part', () => {
  it('lists the checks as not run yet before the first run', () => {
    const { results, part } = mount(fakeLabSession(lab.id));
    expect(results()).toEqual({ door: 'pending', lock: 'pending' });
    expect(part.summary.textContent).toBe('Checks have not run yet.');
  });

  it('shows which checks fail, then that all pass, and remembers the passed lab', async () => {
    const session = fakeLabSession(lab.id);
    const { panel, part, results, progress, afterReport, afterRun } = mount(session);
    session.checks = async () => reportOf(lab.id, [['door', true], ['lock', false]], '2026-11-29T20:00:00.000Z');
    part.runButton.click();
    await vi.waitFor(() => expect(panel.dataset.checks).toBe('failed'));
    expect(results()).toEqual({ door: 'pass', lock: 'fail' });
    expect(part.summary.textContent).toBe('1 of 2 checks pass.');
    expect(part.list.querySelector('[data-check="lock"] .lab-check-reason')!.textContent).toBe('lock does not hold yet');
    expect(progress.markLabPassed).not.toHaveBeenCalled();

    session.checks = async () => reportOf(lab.id, [['door', true], ['lock', true]], '2026-11-29T20:01:00.000Z');
    part.runButton.click();
    await vi.waitFor(() => expect(panel.dataset.checks).toBe('passed'));
    expect(results()).toEqual({ door: 'pass', lock: 'pass' });
    expect(part.summary.textContent).toBe('All 2 checks pass. Lesson done!');
    expect(progress.markLabPassed).toHaveBeenCalledExactlyOnceWith(lab.id);
    expect(afterReport).toHaveBeenCalledTimes(2);
    expect(afterRun).toHaveBeenCalledTimes(2);
  });

  it('keeps focus on Run checks while busy: aria-disabled, never disabled, and a second press does not run them twice', async () => {
    const session = fakeLabSession(lab.id);
    const { panel, part } = mount(session);
    const running = deferred<CheckReport>();
    session.checks = () => running.promise;
    part.runButton.focus();
    part.runButton.click();
    expect(part.runButton.getAttribute('aria-disabled')).toBe('true');
    expect(part.runButton.disabled).toBe(false);
    expect(panel.dataset.checks).toBe('running');
    expect(part.summary.textContent).toMatch(/^Running checks/);
    part.runButton.click();
    expect(session.calls.filter((call) => call === 'run-checks')).toHaveLength(1);
    expect(document.activeElement).toBe(part.runButton);

    running.resolve(reportOf(lab.id, [['door', false], ['lock', false]]));
    await vi.waitFor(() => expect(part.runButton.hasAttribute('aria-disabled')).toBe(false));
    expect(panel.dataset.checks).toBe('failed');
    expect(document.activeElement).toBe(part.runButton);
  });

  it('says why when the checks cannot run, and the button works again', async () => {
    const session = fakeLabSession(lab.id);
    const { panel, part, results } = mount(session);
    session.checks = async () => {
      throw new Error('the lab services did not start');
    };
    part.runButton.click();
    await vi.waitFor(() => expect(panel.dataset.checks).toBe('error'));
    expect(part.summary.textContent).toBe('The checks could not run: the lab services did not start');
    expect(part.runButton.hasAttribute('aria-disabled')).toBe(false);
    expect(results()).toEqual({ door: 'pending', lock: 'pending' });
  });

  it('warns that the checks use the saved version of a file with unsaved changes', async () => {
    const session = fakeLabSession(lab.id);
    const { part, panel, notice } = mount(session, { unsavedPaths: () => ['settings.yaml'] });
    session.checks = async () => reportOf(lab.id, [['door', false], ['lock', false]]);
    part.runButton.click();
    await vi.waitFor(() => expect(panel.dataset.checks).toBe('failed'));
    expect(notice).toHaveBeenCalledWith('settings.yaml has unsaved changes: the checks use the saved version.', 'warning');
  });

  it('shows a report from `checks` typed in the terminal, once, and none of another lab', () => {
    const session = fakeLabSession(lab.id);
    const { panel, results, afterReport } = mount(session);
    const typed = reportOf(lab.id, [['door', true], ['lock', false]], '2026-11-29T21:00:00.000Z');
    session.pushReport(typed);
    expect(results()).toEqual({ door: 'pass', lock: 'fail' });
    expect(panel.dataset.checks).toBe('failed');
    session.pushReport(typed);
    session.pushReport(reportOf('recon', [['door', true], ['lock', true]]));
    expect(afterReport).toHaveBeenCalledTimes(1);
    expect(results()).toEqual({ door: 'pass', lock: 'fail' });
  });

  it('goes back to "not run yet" after a reset', async () => {
    const session = fakeLabSession(lab.id);
    const { panel, part, results } = mount(session);
    session.pushReport(reportOf(lab.id, [['door', true], ['lock', true]]));
    part.clear('The lab is back to its starting files.');
    expect(results()).toEqual({ door: 'pending', lock: 'pending' });
    expect(part.summary.textContent).toBe('The lab is back to its starting files.');
    expect(panel.dataset.checks).toBe('');
  });
});
