/**
 * The one seam between the grader and how a lab folder is made: a fresh lab folder built
 * from the learner's seed (`.lab/lab.json` `seed`: the dataset, the server's version, the
 * thief's address, the ransom note's database), with no world running, so the learner's
 * files go in before the checks start it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshLab } from '../lab-shell/fresh-lab.ts';
import { runChecks } from '../checks/run-checks.ts';
import type { CheckReport, LabDefinition } from '../checks/types.ts';
import { createLabFolder } from '../lab-folder/assemble.ts';
import { stopLabWorld } from '../lab-session/session.ts';

export interface GradingWorld {
  seed: number;
  users: number;
}

export interface GradingLab {
  dir: string;
  checks(): Promise<CheckReport>;
  dispose(): Promise<void>;
}

export async function prepareGradingLab(lab: LabDefinition, world: GradingWorld, options: { keepsDatabase?: boolean } = {}): Promise<GradingLab> {
  if (lab.setup || options.keepsDatabase) {
    // The lab's setup (the ransom raid's backup, the scripted theft) ran in the learner's
    // world before they changed anything: run it the same way, with the starting files. A
    // hand-in that brings its database needs the world seeded once too (.lab/seeded.json), so
    // that the next start uses the learner's database instead of seeding over it.
    const fresh = await freshLab(lab.meta.id, { seed: world.seed, world: { users: world.users } });
    // The checks restart the world with the learner's files; a world still running would hold
    // the database log open while we replace it.
    await stopLabWorld(fresh.dir);
    return { dir: fresh.dir, checks: () => fresh.checks(), dispose: () => fresh.dispose() };
  }
  // No setup: the checks' own start seeds the world, so one world start is enough.
  const dir = mkdtempSync(join(tmpdir(), `cloudpets-grade-${lab.meta.id}-`));
  createLabFolder(lab.meta, dir, { seed: world.seed, world: { users: world.users } });
  return {
    dir,
    checks: () => runChecks(lab, dir),
    async dispose() {
      await stopLabWorld(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
