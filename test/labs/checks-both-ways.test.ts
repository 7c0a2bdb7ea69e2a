/**
 * The checks issue 11 added or made honest, each shown passing on the reference fix and
 * failing on the mistake it exists to catch:
 * - throttle-spares-parent: an e-mail-only throttle (an attacker locks the parent out, with 429
 *   or by making everyone wait) and no throttle fail; the account-and-address throttle passes.
 * - accepts-passphrase ("stored as bcrypt"): plain text or a fast hash in the database fails.
 * - dbhost + admin-user-exists: after bindIp 127.0.0.1 the administrator manages users from
 *   the database host; without an administrator the check fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { freshLab, type FreshLab } from '../../sandboxes/lab-shell/fresh-lab.ts';
import { runChecks } from '../../sandboxes/checks/run-checks.ts';
import { createCheckContext, type CheckContext } from '../../sandboxes/checks/context.ts';
import { acceptsStrongPassphrase, throttleSparesParent } from '../../sandboxes/checks/library/password-checks.ts';
import { adminUserExists } from '../../sandboxes/checks/library/database-checks.ts';
import { findLab } from '../../sandboxes/labs/registry.ts';
import type { Check, CheckReport } from '../../sandboxes/checks/types.ts';
import { editFile, failing, result, summary, typeInLab } from './support.ts';

const WORLD = { users: 40 };

/** Restart the world with the lab's current files and run only these checks. */
function only(lab: FreshLab, ...checks: Check[]): Promise<CheckReport> {
  const definition = findLab(lab.labId)!;
  return runChecks({ meta: definition.meta, checks }, lab.dir);
}

describe('throttle-spares-parent', () => {
  let lab: FreshLab;
  beforeAll(async () => {
    lab = await freshLab('password-policy', { solution: true, world: WORLD });
  });
  afterAll(async () => {
    await lab?.dispose();
  });
  const check = throttleSparesParent('09-passwords-done-right#step-3-slow-down-repeated-failures');

  it('passes with the throttle keyed on the account and the source address', async () => {
    const report = await only(lab, check);
    expect(failing(report), summary(report)).toEqual([]);
    expect(result(report, 'throttle-spares-parent').reason).toMatch(/the attacker \(198\.51\.100\.23\) was slowed after 5 failed logins .* the real parent from home \(198\.51\.100\.77\) logged in at once/);
  });

  it('fails when the throttle is keyed on the e-mail alone: the attacker locks the parent out', async () => {
    const good = editFile(lab, 'api/app.js', (text) => text.replace(/const throttleKey = \(email, ip\) => .*;/, 'const throttleKey = (email, ip) => email;'));
    const report = await only(lab, check);
    editFile(lab, 'api/app.js', () => good);
    expect(result(report, 'throttle-spares-parent').pass, summary(report)).toBe(false);
    expect(result(report, 'throttle-spares-parent').reason).toMatch(/got HTTP 429 too: the throttle is keyed on the e-mail alone/);
  });

  it('fails when an e-mail-only throttle makes everyone wait instead of answering 429: the parent is slowed too', async () => {
    // A throttle that sleeps: after five failures for an e-mail, each login for it waits 3 s,
    // from any address. No 429 anywhere, so only the parent's wait gives it away.
    const good = editFile(lab, 'api/app.js', (text) =>
      text.replace(
        'const entry = failures.get(throttleKey(email, request.ip));',
        'const entry = failures.get(throttleKey(email, request.ip));\n    if (entry && entry.count >= FREE_FAILURES) return new Promise((done) => setTimeout(() => done(null), 3000));',
      ).replace(/const throttleKey = \(email, ip\) => .*;/, 'const throttleKey = (email, ip) => email;'),
    );
    const report = await only(lab, check);
    editFile(lab, 'api/app.js', () => good);
    expect(result(report, 'throttle-spares-parent').pass, summary(report)).toBe(false);
    expect(result(report, 'throttle-spares-parent').reason).toMatch(/got in but only after \d+\.\d s: the attacker's failures slow the parent too/);
  }, 60_000);

  it('fails without a throttle', async () => {
    const good = editFile(lab, 'api/app.js', (text) => text.replace('if (!entry || entry.count < FREE_FAILURES) return null;', 'return null;'));
    const report = await only(lab, check);
    editFile(lab, 'api/app.js', () => good);
    expect(result(report, 'throttle-spares-parent').pass, summary(report)).toBe(false);
    expect(result(report, 'throttle-spares-parent').reason).toMatch(/tried 12 wrong passwords .* and was never slowed down/);
  });

  it('"stored as bcrypt" fails when the database holds plain text or a fast hash', async () => {
    const check = acceptsStrongPassphrase('09-passwords-done-right#step-1-reject-short-passwords');
    for (const [store, words] of [
      [(password: string) => password, /stored as plain text/],
      [(password: string) => createHash('sha1').update(password).digest('hex'), /SHA-1: a fast hash/],
    ] as const) {
      const ctx = createCheckContext(lab.labId, lab.dir);
      // What a weaker API would have stored: the account's password replaced once the new
      // account has logged in (the check reads the stored value after that login).
      const weaker: CheckContext = {
        ...ctx,
        async http(probe) {
          const answer = await ctx.http(probe);
          if (probe.url.endsWith('/login') && answer.status === 200) {
            const { email, password } = JSON.parse(String(probe.body)) as { email: string; password: string };
            const client = await ctx.mongo('app');
            await client.db('cloudpets').collection('users').updateOne({ email }, { $set: { password: store(password) } });
          }
          return answer;
        },
      };
      try {
        const outcome = await check.run(weaker);
        expect(outcome.pass, outcome.reason).toBe(false);
        expect(outcome.reason).toMatch(words);
      } finally {
        await ctx.close();
      }
    }
    const ctx = createCheckContext(lab.labId, lab.dir);
    try {
      const honest = await check.run(ctx);
      expect(honest.pass, honest.reason).toBe(true);
    } finally {
      await ctx.close();
    }
  });
});

describe('dbhost and admin-user-exists (lock-database)', () => {
  let lab: FreshLab;
  beforeAll(async () => {
    lab = await freshLab('lock-database', { solution: true, world: WORLD });
    // The checks restart the world with the solution's mongod.conf: bindIp 127.0.0.1, authorization on.
    const report = await lab.checks();
    expect(failing(report), summary(report)).toEqual([]);
  });
  afterAll(async () => {
    await lab?.dispose();
  });

  it('after bindIp 127.0.0.1 the database is closed to the internet, but open to an administrator on its host', async () => {
    const outside = await typeInLab(lab, 'mongosh mongodb://db.cloudpets.test:27017/admin --quiet --eval "db.runCommand({ ping: 1 }).ok"');
    expect(outside.status).toBe(1);
    expect(outside.stderr).toMatch(/connection refused/);
    const onHost = await typeInLab(lab, 'dbhost mongosh -u admin -p admin-Long-Passphrase-2017 --authenticationDatabase admin --quiet --eval "db.getSiblingDB(\'admin\').getUsers().users.map((u) => u.user).sort().join(\' \')"');
    expect(onHost.status, onHost.stderr).toBe(0);
    expect(onHost.stdout).toMatch(/admin cloudpets-app/);
    const where = await typeInLab(lab, 'dbhost hostname');
    expect(where).toMatchObject({ status: 0, stdout: 'db.cloudpets.test\n' });
    const anonymous = await typeInLab(lab, 'dbhost mongosh --quiet --eval "db.getSiblingDB(\'cloudpets\').users.findOne()"');
    expect(anonymous.status).toBe(1);
    expect(anonymous.stdout + anonymous.stderr).toMatch(/requires authentication|Unauthorized|code 13/i);
  });

  it('dbhost explains itself and refuses what an administrator has no use for', async () => {
    const help = await typeInLab(lab, 'dbhost --help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: dbhost <command>/);
    expect(help.stdout).toMatch(/Exit codes/);
    expect(await typeInLab(lab, 'dbhost')).toMatchObject({ status: 2, stderr: expect.stringMatching(/no command given/) });
    expect(await typeInLab(lab, 'dbhost ls')).toMatchObject({ status: 2, stderr: expect.stringMatching(/'ls' is not available on the database host/) });
  });

  it('admin-user-exists fails once the administrator is gone, with what it saw', async () => {
    const check = adminUserExists('07-lock-the-database#step-1-create-an-admin-user');
    const drop = await typeInLab(lab, 'dbhost mongosh -u admin -p admin-Long-Passphrase-2017 --authenticationDatabase admin --quiet --eval "db.getSiblingDB(\'admin\').dropUser(\'admin\')"');
    expect(drop.status, drop.stderr).toBe(0);
    const report = await only(lab, check);
    expect(result(report, 'admin-user-exists').pass, summary(report)).toBe(false);
    expect(result(report, 'admin-user-exists').reason).toMatch(/the database log shows no user created with a role that can manage users/);
  });
});

describe('admin-user-exists on the starting files', () => {
  it('fails: nobody created an administrator', async () => {
    const lab = await freshLab('lock-database', { world: WORLD });
    try {
      const report = await only(lab, adminUserExists('07-lock-the-database#step-1-create-an-admin-user'));
      expect(result(report, 'admin-user-exists').pass).toBe(false);
    } finally {
      await lab.dispose();
    }
  });
});
