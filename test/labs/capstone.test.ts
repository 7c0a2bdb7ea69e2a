/**
 * The capstone: every fix together. The 2016 starting files fail the full replay; the
 * reference solution passes it end to end while the app works; deleting the data, emptying
 * the bucket or locking the app out of its database fails the legitimate-use checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FreshLab } from '../../sandboxes/lab-shell/fresh-lab.ts';
import { deleteDatabaseFiles, editFile, failing, openLab, result, summary } from './support.ts';

describe('capstone on the starting files', () => {
  it('fails the attack replay at every step, while the app works', async () => {
    const lab = await openLab('capstone', false);
    try {
      const report = await lab.checks();
      for (const id of ['internet-cannot-list', 'bot-replay-fails', 'anonymous-get-denied', 'rejects-cracked-passwords', 'security-txt']) {
        expect(result(report, id).pass, `${id}\n${summary(report)}`).toBe(false);
      }
      expect(result(report, 'nothing-lost').pass).toBe(true);
      expect(result(report, 'every-object-present').pass).toBe(true);
      // The in-order replay reports each of its six steps, and where the attack got through.
      const chain = result(report, 'attack-chain-fails');
      expect(chain.pass).toBe(false);
      expect(chain.reason).toMatch(/^the attack got through at step 1 \(scan finds an open database\)/);
      expect(chain.reason.match(/; ?\d\. |: 1\. /g)).toHaveLength(6);
      expect(chain.reason).toMatch(/6\. logging in with the cracked e-mail:password list: GOT THROUGH/);
    } finally {
      await lab.dispose();
    }
  });
});

describe('capstone with the reference solution', () => {
  let lab: FreshLab;
  beforeAll(async () => {
    lab = await openLab('capstone', true);
  });
  afterAll(async () => {
    await lab?.dispose();
  });

  it('passes the full replay and the legitimate use', async () => {
    const report = await lab.checks();
    expect(failing(report), summary(report)).toEqual([]);
    expect(result(report, 'attack-chain-fails').reason).toMatch(/^every step was stopped, in order: 1\. scan finds an open database: stopped .*; 2\. anonymous read of the accounts: stopped .*; 6\. logging in with the cracked e-mail:password list: stopped/);
  });

  it('locking the app out of its database fails the legitimate-use checks', async () => {
    const good = editFile(lab, 'api/.env', (text) => text.replace('app-Pa55phrase-2017', 'wrong'));
    const report = await lab.checks();
    editFile(lab, 'api/.env', () => good);
    expect(failing(report)).toEqual(expect.arrayContaining(['app-user-reads', 'api-logs-parents-in', 'accepts-passphrase', 'owner-gets-link', 'nothing-lost']));
  });

  it('emptying the bucket fails "every recording is still in the bucket"', async () => {
    rmSync(join(lab.dir, '.lab', 'bucket'), { recursive: true, force: true });
    const report = await lab.checks();
    expect(failing(report)).toEqual(expect.arrayContaining(['every-object-present', 'owner-gets-link']));
  });

  it('deleting the data fails "no data was lost"', async () => {
    await deleteDatabaseFiles(lab);
    const report = await lab.checks();
    expect(failing(report)).toEqual(expect.arrayContaining(['nothing-lost', 'app-user-reads']));
  });
});
