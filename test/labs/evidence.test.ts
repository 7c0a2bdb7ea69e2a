/**
 * Attack-lab evidence cannot be faked: the checks compare with the world, not with what the
 * learner wrote. A connection that is not the scanner, a hand-made export, a wrong password,
 * a file that is not from the bucket: each fails with a reason naming what was wrong.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLab, result, typeInLab } from './support.ts';

describe('attack-lab evidence', () => {
  it('recon: a mongosh connection is not a scan, and a guessed version is caught', async () => {
    const lab = await openLab('recon', false);
    try {
      expect((await typeInLab(lab, `mongosh mongodb://db.cloudpets.test:27017 --quiet --eval '1'`)).status).toBe(0);
      writeFileSync(join(lab.dir, 'findings.txt'), 'host: db.cloudpets.test\nport: 27017\nversion: 3.4.0\n');
      const report = await lab.checks();
      expect(result(report, 'scan-reached-database').reason).toMatch(/none from the scanner/);
      expect(result(report, 'findings-version').reason).toMatch(/^version "3\.4\.0" is not what your server reports \(every learner's world differs/);
      expect(result(report, 'findings-host').pass).toBe(true);
    } finally {
      await lab.dispose();
    }
  });

  it('open-door: a hand-made export does not match the accounts', async () => {
    const lab = await openLab('open-door', false);
    try {
      mkdirSync(join(lab.dir, 'downloads'));
      writeFileSync(join(lab.dir, 'downloads', 'users.jsonl'), '{"_id":{"$oid":"5f0000000000000000000001"},"email":"someone@example.com","password":"$2a$10$abc"}\n');
      const report = await lab.checks();
      expect(result(report, 'export-holds-accounts').reason).toMatch(/none of the 1 rows in downloads\/users\.jsonl matches an account/);
      expect(result(report, 'log-shows-anonymous-reads').reason).toMatch(/no unauthenticated commands from 198\.51\.100\.23/);
    } finally {
      await lab.dispose();
    }
  });

  it('cracking and recordings: a wrong password and a file not from the bucket fail', async () => {
    const lab = await openLab('cracking', false);
    try {
      const email = (await typeInLab(lab, `mongosh mongodb://db.cloudpets.test:27017/cloudpets --quiet --eval 'db.users.findOne().email'`)).stdout.trim().split('\n').at(-1);
      writeFileSync(join(lab.dir, 'cracked.txt'), `${email}:qwe\n`);
      const report = await lab.checks();
      expect(result(report, 'cracked-pairs-verify').reason).toMatch(new RegExp(`line 1: that is not ${email}'s password`));
    } finally {
      await lab.dispose();
    }
    const recordings = await openLab('recordings', false);
    try {
      mkdirSync(join(recordings.dir, 'downloads'));
      writeFileSync(join(recordings.dir, 'downloads', 'clip.wav'), '<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>');
      const report = await recordings.checks();
      expect(result(report, 'downloads-have-recordings').reason).toMatch(/^downloads\/clip\.wav is not identical to any object in your bucket \(a recording from another world has other bytes/);
      expect(result(report, 'recording-playable').reason).toMatch(/does not start with a RIFF\/WAVE header/);
    } finally {
      await recordings.dispose();
    }
  });
});
