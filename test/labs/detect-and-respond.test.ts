/**
 * detect-and-respond: the lab setup really steals from the database (over the wire, from
 * the internet), the learner's answers are checked against that log, and security.txt is
 * fetched from the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FreshLab } from '../../sandboxes/lab-shell/fresh-lab.ts';
import { editFile, failing, openLab, result, summary } from './support.ts';

describe('detect-and-respond on the starting files', () => {
  it('fails: nothing found yet, no security.txt; the theft is in the log', async () => {
    const lab = await openLab('detect-and-respond', false);
    try {
      const report = await lab.checks();
      expect(result(report, 'found-when').reason).toMatch(/no "started:" line yet/);
      expect(result(report, 'security-txt').reason).toMatch(/HTTP 404/);
      expect(result(report, 'api-logs-parents-in').pass, summary(report)).toBe(true);
    } finally {
      await lab.dispose();
    }
  });
});

describe('detect-and-respond with the reference solution', () => {
  let lab: FreshLab;
  beforeAll(async () => {
    lab = await openLab('detect-and-respond', true);
  });
  afterAll(async () => {
    await lab?.dispose();
  });

  it('passes every check', async () => {
    const report = await lab.checks();
    expect(failing(report), `${summary(report)}\n${lab.solutionOutput}`).toEqual([]);
  });

  it('wrong answers fail with what the log shows instead', async () => {
    const good = editFile(lab, 'findings.txt', (text) => text.replace(/^started: .*$/m, 'started: 2017-01-07T10:00:00Z').replace(/^address: .*$/m, 'address: 203.0.113.99').replace(/^read: .*$/m, 'read: cloudpets.users'));
    const report = await lab.checks();
    editFile(lab, 'findings.txt', () => good);
    expect(result(report, 'found-when').reason).toMatch(/s away from the first command of the theft/);
    expect(result(report, 'found-who').reason).toMatch(/did not come from 203\.0\.113\.99/);
    expect(result(report, 'found-what').reason).toMatch(/also shows reads of cloudpets\.recordings/);
  });

  it("the learner's own address is not the thief's, and the thief's client does not name itself in the log", async () => {
    const good = editFile(lab, 'findings.txt', (text) => text.replace(/^address: .*$/m, 'address: 198.51.100.23'));
    const report = await lab.checks();
    editFile(lab, 'findings.txt', () => good);
    expect(result(report, 'found-who').reason).toMatch(/did not come from 198\.51\.100\.23/);
    expect(good).toMatch(/^address: 192\.0\.2\.146$/m);
    const log = readFileSync(join(lab.dir, 'logs', 'mongod.log'), 'utf8').split('\n').filter((line) => line.includes('"192.0.2.146:'));
    expect(log.length).toBeGreaterThan(0);
    expect(log.join('\n')).not.toMatch(/cloudpets-checks|"appName"/);
  });

  it('an API that cannot reach its database (every parent locked out) fails "parents can still log in"', async () => {
    const good = editFile(lab, 'api/.env', () => 'MONGODB_URI=mongodb://localhost:27099/cloudpets\n');
    const report = await lab.checks();
    editFile(lab, 'api/.env', () => good);
    expect(failing(report)).toEqual(expect.arrayContaining(['api-logs-parents-in']));
  });
});
