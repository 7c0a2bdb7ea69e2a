/**
 * Per-learner worlds: every lab's reference solution passes in a learner's own world (seed A),
 * and what that learner produced, dropped into another learner's world (seed B), does not
 * pass there, with a reason that says the answer belongs to another world. Labs run one after
 * another (two cores), with small worlds.
 *
 * Two fix labs are code only (lock-bucket, password-policy): the fix is the same for every
 * world by design, so the test proves the opposite for them: the same files pass in both.
 */
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshLab, type FreshLab } from '../../sandboxes/lab-shell/fresh-lab.ts';
import { LABS } from '../../sandboxes/labs/registry.ts';
import { worldVariants } from '../../sandboxes/world/dataset/world-variants.ts';
import { failing, result, summary, typeInLab } from './support.ts';

const SEED_A = 482_913;
const SEED_B = 731_054;
const WORLD = { users: 40 };
/** The lab's own state and the world's data: never part of what a learner hands in. */
const NOT_ARTEFACTS = new Set(['.lab', 'data', 'logs', 'backup']);
const CODE_ONLY = new Set(['lock-bucket', 'password-policy']);

function copyArtefacts(from: string, to: string): string[] {
  const copied: string[] = [];
  for (const entry of readdirSync(from)) {
    if (NOT_ARTEFACTS.has(entry)) continue;
    cpSync(join(from, entry), join(to, entry), { recursive: true });
    copied.push(entry);
  }
  return copied;
}

/** What each lab's report must say in world B about the answer from world A. */
const COPIED_FAILS: Record<string, (report: import('../../sandboxes/checks/types.ts').CheckReport) => void> = {
  recon: (r) => expect(result(r, 'findings-version').reason).toMatch(/is not what your server reports \(every learner's world differs/),
  'open-door': (r) => expect(result(r, 'export-holds-accounts').reason).toMatch(/matches an account in your cloudpets\.users \(every learner's world differs/),
  recordings: (r) => expect(result(r, 'downloads-have-recordings').reason).toMatch(/not identical to any object in your bucket \(a recording from another world/),
  cracking: (r) => expect(result(r, 'cracked-pairs-verify').reason).toMatch(/your world has no account .*every learner's world differs/),
  'lock-database': (r) => expect(result(r, 'app-user-reads').reason).toMatch(/could not log in/),
  capstone: (r) => expect(failing(r)).toEqual(expect.arrayContaining(['app-user-reads', 'admin-user-exists'])),
  'detect-and-respond': (r) => {
    expect(result(r, 'found-who').reason).toMatch(/did not come from .*the thief's address is part of your world/);
  },
};

const open: FreshLab[] = [];
// The first world of a test process transpiles the world's sources (tsx); on two busy cores
// that alone can pass the 30 s start limit, so one world is started (and retried) first.
beforeAll(async () => {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const warm = await freshLab('recon', { world: { users: 5 } });
      await warm.dispose();
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}, 400_000);
afterAll(async () => {
  for (const lab of open) await lab.dispose().catch(() => undefined);
});

describe('the two learner worlds differ in everything a copied answer needs', () => {
  it('version, thief address and ransom note', () => {
    const [a, b] = [worldVariants(SEED_A), worldVariants(SEED_B)];
    expect(a.serverVersion).not.toBe(b.serverVersion);
    expect(a.thiefAddress).not.toBe(b.thiefAddress);
    expect(a.ransomDatabase).not.toBe(b.ransomDatabase);
  });
});

describe.each(LABS.map((lab) => lab.meta.id).filter((id) => id !== 'ransom'))('%s', (labId) => {
  it(CODE_ONLY.has(labId) ? 'the same fix passes in two learners\' worlds (code only, by design)' : 'the solution passes in its own world; its artefacts fail in another learner\'s world', async () => {
    const a = await freshLab(labId, { solution: true, seed: SEED_A, world: WORLD });
    open.push(a);
    const own = await a.checks();
    expect(failing(own), `${summary(own)}\n--- solution output:\n${a.solutionOutput}`).toEqual([]);

    const b = await freshLab(labId, { seed: SEED_B, world: WORLD });
    open.push(b);
    const copied = copyArtefacts(a.dir, b.dir);
    const report = await b.checks();
    if (CODE_ONLY.has(labId)) {
      expect(failing(report), summary(report)).toEqual([]);
    } else {
      expect(report.passed, `copied ${copied.join(', ')}\n${summary(report)}`).toBe(false);
      COPIED_FAILS[labId]?.(report);
    }
    await a.dispose();
    await b.dispose();
  }, 400_000);
});

describe('ransom', () => {
  it('the solution passes in its own world; dropping the note name of another world leaves this world\'s note', async () => {
    const a = await freshLab('ransom', { solution: true, seed: SEED_A, world: WORLD });
    open.push(a);
    const own = await a.checks();
    expect(failing(own), `${summary(own)}\n--- solution output:\n${a.solutionOutput}`).toEqual([]);

    // A learner in world B types the commands of the learner in world A, note name included.
    const b = await freshLab('ransom', { seed: SEED_B, world: WORLD });
    open.push(b);
    const noteA = worldVariants(SEED_A).ransomDatabase;
    for (const line of ['ransom-bot db.cloudpets.test', 'mongosh mongodb://db.cloudpets.test:27017 --quiet --file backup/restore.js', `mongosh mongodb://db.cloudpets.test:27017 --quiet --eval "db.getSiblingDB('${noteA}').dropDatabase()"`]) {
      const typed = await typeInLab(b, line);
      expect(typed.status, `${line}\n${typed.stdout}${typed.stderr}`).toBe(0);
    }
    copyArtefacts(a.dir, b.dir);
    await a.dispose();
    const report = await b.checks();
    expect(result(report, 'ransom-note-gone').pass, summary(report)).toBe(false);
    expect(result(report, 'ransom-note-gone').reason).toContain(worldVariants(SEED_B).ransomDatabase);
    expect(result(report, 'everything-restored').pass, summary(report)).toBe(true);
    await b.dispose();
  }, 400_000);
});
