/**
 * The headline fix lab. Starting files: every attack replay succeeds, so the checks fail with
 * reasons naming what an anonymous client did. Reference solution: all pass. Anti-cheat:
 * deleting the data, taking the database off the network, or locking the app out fails the
 * "legitimate use" checks. A broken mongod.conf fails with its line quoted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FreshLab } from '../../sandboxes/lab-shell/fresh-lab.ts';
import { deleteDatabaseFiles, editFile, failing, openLab, result, summary } from './support.ts';

describe('lock-database on the starting files', () => {
  it('fails, saying what an anonymous client could do', async () => {
    const lab = await openLab('lock-database', false);
    try {
      const report = await lab.checks();
      expect(report.passed).toBe(false);
      expect(result(report, 'internet-cannot-list').reason).toMatch(/^an anonymous client from the internet \(198\.51\.100\.23\) listed \d+ databases: .*cloudpets/);
      expect(result(report, 'internet-cannot-read-accounts').reason).toMatch(/read \d+ accounts from cloudpets\.users/);
      expect(result(report, 'authorization-enforced').pass).toBe(false);
      expect(result(report, 'localhost-only').reason).toMatch(/accepts connections from the internet on port 27017/);
      expect(result(report, 'scan-no-open-database').reason).toMatch(/authentication: disabled/);
      expect(result(report, 'app-user-reads').reason).toMatch(/no user name/);
      expect(result(report, 'admin-user-exists').reason).toMatch(/no user created with a role that can manage users/);
      // the app still works and nothing is lost: the starting state is broken only on security
      expect(result(report, 'api-logs-parents-in').pass, summary(report)).toBe(true);
      expect(result(report, 'nothing-lost').pass, summary(report)).toBe(true);
    } finally {
      await lab.dispose();
    }
  });
});

describe('lock-database with the reference solution', () => {
  let lab: FreshLab;
  beforeAll(async () => {
    lab = await openLab('lock-database', true);
  });
  afterAll(async () => {
    await lab?.dispose();
  });

  it('passes every check', async () => {
    const report = await lab.checks();
    expect(failing(report), summary(report)).toEqual([]);
    expect(result(report, 'internet-cannot-list').reason).toMatch(/refused/);
    expect(result(report, 'authorization-enforced').reason).toMatch(/code 13/);
  });

  it('a broken mongod.conf fails with the line quoted, and fixing it passes again', async () => {
    const good = editFile(lab, 'mongod.conf', (text) => text.replace('  authorization: enabled', '\tauthorization: enabled'));
    const broken = await lab.checks();
    editFile(lab, 'mongod.conf', () => good);
    expect(result(broken, 'files-readable').reason).toMatch(/^mongod\.conf line 20, column 1: not valid YAML: Tabs are not allowed/);
    expect(result(broken, 'services-start').pass).toBe(false);
    expect(result(broken, 'services-start').reason).toMatch(/^mongod\.conf: ConfigError: .*line 20/);
    expect(result(broken, 'internet-cannot-list').reason).toMatch(/not checked/);
    const fixed = await lab.checks();
    expect(failing(fixed), summary(fixed)).toEqual([]);
  });

  it('locking the app out (a wrong password in its connection string) fails the legitimate-use checks', async () => {
    const good = editFile(lab, 'api/.env', (text) => text.replace('app-Pa55phrase-2017', 'not-the-password'));
    const report = await lab.checks();
    editFile(lab, 'api/.env', () => good);
    expect(failing(report)).toEqual(expect.arrayContaining(['app-user-reads', 'api-logs-parents-in', 'nothing-lost']));
    expect(result(report, 'app-user-reads').reason).toMatch(/could not log in/);
  });

  it('moving the database away from the app (another port) fails the legitimate-use checks', async () => {
    const good = editFile(lab, 'mongod.conf', (text) => text.replace('port: 27017', 'port: 27018'));
    const report = await lab.checks();
    editFile(lab, 'mongod.conf', () => good);
    expect(failing(report), summary(report)).toEqual(expect.arrayContaining(['app-user-reads', 'api-logs-parents-in', 'nothing-lost']));
  });

  it('deleting the data fails "no data was lost" (run last: it wipes this world)', async () => {
    await deleteDatabaseFiles(lab);
    const report = await lab.checks();
    expect(failing(report)).toEqual(expect.arrayContaining(['nothing-lost']));
  });
});
