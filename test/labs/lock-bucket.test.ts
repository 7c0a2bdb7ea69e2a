/**
 * lock-bucket: the starting bucket hands recordings to anyone; the reference fix passes;
 * emptying the bucket, or an app that hands out links nobody can use, fails the checks;
 * an invalid JSON policy fails with its line quoted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FreshLab } from '../../sandboxes/lab-shell/fresh-lab.ts';
import { deleteDatabaseFiles, editFile, failing, openLab, result, summary } from './support.ts';

describe('lock-bucket on the starting files', () => {
  it('fails: anonymous downloads and the stored public URLs work', async () => {
    const lab = await openLab('lock-bucket', false);
    try {
      const report = await lab.checks();
      expect(result(report, 'anonymous-get-denied').reason).toMatch(/returned the recording \(\d+ bytes\)/);
      expect(result(report, 'old-public-url-fails').reason).toMatch(/still returns the recording/);
      expect(result(report, 'owner-gets-link').reason).toMatch(/unsigned link/);
      expect(result(report, 'other-parent-refused').reason).toMatch(/got a working link to .*'s recording/);
      expect(result(report, 'every-object-present').pass, summary(report)).toBe(true);
    } finally {
      await lab.dispose();
    }
  });
});

describe('lock-bucket with the reference solution', () => {
  let lab: FreshLab;
  beforeAll(async () => {
    lab = await openLab('lock-bucket', true);
  });
  afterAll(async () => {
    await lab?.dispose();
  });

  it('passes every check', async () => {
    const report = await lab.checks();
    expect(failing(report), summary(report)).toEqual([]);
  });

  it('invalid JSON in the policy fails with the line quoted', async () => {
    const good = editFile(lab, 'bucket/public-access-block.json', (text) => text.replace('"RestrictPublicBuckets": true', '"RestrictPublicBuckets": true,'));
    const report = await lab.checks();
    editFile(lab, 'bucket/public-access-block.json', () => good);
    expect(result(report, 'files-readable').reason).toMatch(/^bucket\/public-access-block\.json line 6, column 1: not valid JSON/);
    expect(result(report, 'services-start').pass).toBe(false);
    expect(report.passed).toBe(false);
  });

  it('an app whose links never work (locking every parent out of their recordings) fails', async () => {
    const good = editFile(lab, 'api/app.js', (text) => text.replace('presign(recording.key, 900)', 'presign(recording.key, 900).then((url) => url.replace("X-Amz-Signature=", "X-Amz-Signature=0"))'));
    const report = await lab.checks();
    editFile(lab, 'api/app.js', () => good);
    expect(failing(report), summary(report)).toEqual(['owner-gets-link']);
  });

  it('emptying the bucket fails "every recording is still in the bucket"', async () => {
    rmSync(join(lab.dir, '.lab', 'bucket'), { recursive: true, force: true });
    const report = await lab.checks();
    expect(failing(report)).toEqual(expect.arrayContaining(['every-object-present', 'owner-gets-link']));
    expect(result(report, 'every-object-present').reason).toMatch(/holds 0 of the 399/);
  });

  it('deleting the data fails "no data was lost" and the owner\'s link (run last)', async () => {
    await deleteDatabaseFiles(lab);
    const report = await lab.checks();
    expect(failing(report)).toEqual(expect.arrayContaining(['nothing-lost', 'owner-gets-link']));
  });
});
