import { describe, expect, it } from 'vitest';
import { renderCheckReport, renderPendingChecks } from '../../src/sandbox/checks-view.ts';
import type { CheckReport } from '../../sandboxes/checks/types.ts';

const report: CheckReport = {
  lab: 'lock-database',
  title: 'Lock the database',
  kind: 'fix',
  passed: false,
  total: 2,
  passedCount: 1,
  startedAt: '2026-11-29T20:00:00.000Z',
  durationMs: 900,
  results: [
    { id: 'authorization-enforced', title: 'Strangers must log in', pass: true, reason: 'listDatabases without a login was refused', hint: 'Turn on authorization', lessonAnchor: '07-lock-the-database#step-2', durationMs: 400 },
    { id: 'localhost-only', title: 'Only the app host can connect', pass: false, reason: 'db.cloudpets.test:27017 still answers from the internet', hint: 'Set net.bindIp', lessonAnchor: '07-lock-the-database#step-3', durationMs: 500 },
  ],
};

describe('the checks list', () => {
  it('lists the checks as not run yet before the first run', () => {
    const list = document.createElement('ul');
    renderPendingChecks(list, report.results.map(({ id, title, lessonAnchor }) => ({ id, title, lessonAnchor })));
    const items = [...list.querySelectorAll('li')];
    expect(items.map((item) => item.dataset.result)).toEqual(['pending', 'pending']);
    expect(items[0]!.textContent).toContain('Not run yet: Strangers must log in');
  });

  it('shows each result with its reason, and a hint only for a failed check', () => {
    const list = document.createElement('ul');
    renderCheckReport(list, report);
    const [passed, failed] = [...list.querySelectorAll('li')];
    expect(passed!.dataset.result).toBe('pass');
    expect(passed!.querySelector('button')).toBeNull();
    expect(failed!.dataset.result).toBe('fail');
    expect(failed!.querySelector('.lab-check-reason')!.textContent).toBe('db.cloudpets.test:27017 still answers from the internet');
  });

  it('reveals the hint on request and says so to assistive technology', () => {
    const list = document.createElement('ul');
    renderCheckReport(list, report);
    const failed = list.querySelector<HTMLElement>('[data-check="localhost-only"]')!;
    const button = failed.querySelector('button')!;
    const hint = failed.querySelector<HTMLElement>('.lab-check-hint')!;
    expect(hint.hidden).toBe(true);
    expect(button.getAttribute('aria-controls')).toBe(hint.id);
    button.click();
    expect(hint.hidden).toBe(false);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    button.click();
    expect(hint.hidden).toBe(true);
  });
});
