/**
 * The one seam between the grader and how a lab folder is made: a fresh lab folder whose
 * world is seeded from the learner's seed, with the world stopped so the learner's files can
 * go in before the checks restart it. Today the seed travels as `.lab/lab.json` `world.seed`
 * (createLabFolder's `world` option); when per-learner seeds land in freshLab, only this file
 * changes.
 */
import { freshLab, type FreshLab } from '../checks/fresh-lab.ts';
import { stopLabWorld } from '../lab-session/session.ts';

export interface GradingWorld {
  seed: number;
  users: number;
}

export async function prepareGradingLab(labId: string, world: GradingWorld): Promise<FreshLab> {
  const lab = await freshLab(labId, { world: { seed: world.seed, users: world.users } });
  // The checks restart the world with the learner's files; a world still running would hold
  // the database log open while we replace it.
  await stopLabWorld(lab.dir);
  return lab;
}
