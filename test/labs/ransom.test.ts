/**
 * The ransom lab: the learner lets the bot in, restores backup/, drops the note and closes
 * the door. Starting files fail (no raid yet, door open); the reference solution (the bot run
 * for real, the restore, bindIp 127.0.0.1) passes; deleting the data or moving the database
 * away from the app fails the "nothing lost" / "app works" checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FreshLab } from '../../sandboxes/lab-shell/fresh-lab.ts';
import { deleteDatabaseFiles, editFile, failing, openLab, result, summary } from './support.ts';

describe('ransom on the starting files', () => {
  it('has a backup from the seeded data, and fails: no raid yet, the door still open', async () => {
    const lab = await openLab('ransom', false);
    try {
      for (const file of ['manifest.json', 'restore.js', 'users.jsonl', 'recordings.jsonl']) expect(existsSync(join(lab.dir, 'backup', file))).toBe(true);
      const report = await lab.checks();
      expect(result(report, 'raid-happened').reason).toMatch(/no drop of cloudpets/);
      expect(result(report, 'bot-replay-fails').reason).toMatch(/^the bot got in again/);
      expect(result(report, 'localhost-only').pass).toBe(false);
      expect(result(report, 'everything-restored').pass, summary(report)).toBe(true);
    } finally {
      await lab.dispose();
    }
  });
});

describe('ransom with the reference solution', () => {
  let lab: FreshLab;
  beforeAll(async () => {
    lab = await openLab('ransom', true);
  });
  afterAll(async () => {
    await lab?.dispose();
  });

  it('passes every check', async () => {
    const report = await lab.checks();
    expect(failing(report), `${summary(report)}\n${lab.solutionOutput}`).toEqual([]);
    expect(result(report, 'bot-replay-fails').reason).toMatch(/connection refused/);
  });

  it('moving the database away from the app fails "the app still works" and the restore checks', async () => {
    const good = editFile(lab, 'mongod.conf', (text) => text.replace('port: 27017', 'port: 27018'));
    const report = await lab.checks();
    editFile(lab, 'mongod.conf', () => good);
    expect(failing(report), summary(report)).toEqual(expect.arrayContaining(['api-logs-parents-in', 'everything-restored']));
  });

  it('deleting the data fails "every account and recording is back"', async () => {
    await deleteDatabaseFiles(lab);
    const report = await lab.checks();
    expect(failing(report)).toEqual(expect.arrayContaining(['everything-restored']));
    expect(result(report, 'everything-restored').reason).toMatch(/users: 0 of 150/);
  });
});
