/**
 * password-policy: the 2016 API takes "qwe"; the reference policy refuses the cracked and
 * common passwords and short ones, keeps bcrypt, and still signs up a passphrase. Refusing
 * every password (locking every parent out) fails the legitimate-use checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FreshLab } from '../../sandboxes/lab-shell/fresh-lab.ts';
import { deleteDatabaseFiles, editFile, failing, openLab, result, summary } from './support.ts';

describe('password-policy on the starting files', () => {
  it('fails: the API accepts the cracked passwords', async () => {
    const lab = await openLab('password-policy', false);
    try {
      const report = await lab.checks();
      expect(result(report, 'rejects-cracked-passwords').reason).toMatch(/^the API accepted new accounts with "qwe", "cloudpets"/);
      expect(result(report, 'rejects-short-passwords').pass).toBe(false);
      expect(result(report, 'accepts-passphrase').pass, summary(report)).toBe(true);
      expect(result(report, 'api-logs-parents-in').pass, summary(report)).toBe(true);
    } finally {
      await lab.dispose();
    }
  });
});

describe('password-policy with the reference solution', () => {
  let lab: FreshLab;
  beforeAll(async () => {
    lab = await openLab('password-policy', true);
  });
  afterAll(async () => {
    await lab?.dispose();
  });

  it('passes every check', async () => {
    const report = await lab.checks();
    expect(failing(report), summary(report)).toEqual([]);
  });

  it('refusing every password (locking every parent out) fails the legitimate-use checks', async () => {
    const good = editFile(lab, 'api/app.js', (text) => text.replace('return passwordProblem(password);', "return 'no new accounts';"));
    const report = await lab.checks();
    editFile(lab, 'api/app.js', () => good);
    expect(failing(report)).toEqual(expect.arrayContaining(['accepts-passphrase']));
    expect(result(report, 'accepts-passphrase').reason).toMatch(/was refused/);
  });

  it('JavaScript that does not parse fails with its line quoted', async () => {
    const good = editFile(lab, 'api/app.js', (text) => text.replace('function passwordProblem(password) {', 'function passwordProblem(password) {{'));
    const report = await lab.checks();
    editFile(lab, 'api/app.js', () => good);
    expect(result(report, 'files-readable').reason).toMatch(/^api\/app\.js line \d+, column \d+: JavaScript that does not parse/);
    expect(result(report, 'services-start').reason).toMatch(/^api\/app\.js line \d+: SyntaxError/);
    expect(report.passed).toBe(false);
  });

  it('deleting the accounts (the weak ones with the rest) fails "no data was lost" (run last)', async () => {
    await deleteDatabaseFiles(lab);
    const report = await lab.checks();
    expect(failing(report)).toEqual(expect.arrayContaining(['nothing-lost', 'api-logs-parents-in']));
  });
});
