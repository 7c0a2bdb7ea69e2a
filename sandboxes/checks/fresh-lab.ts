/**
 * A fresh lab in a temporary folder, in its starting state or with the reference solution
 * applied: the code path behind `npm run checks -- <lab> [--solution]`, shared by the tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabWorld, stopLabWorld } from '../lab-session/session.ts';
import type { LabInfo } from '../lab-folder/paths.ts';
import { applySolutionFiles, createLabFolder, runSolutionScript } from '../lab-folder/assemble.ts';
import { ensureLabSetup, runChecks, type RunOptions } from './run-checks.ts';
import { findLab } from './registry.ts';
import type { CheckReport } from './types.ts';

export interface FreshLab {
  labId: string;
  dir: string;
  /** Output of solution.sh when one ran. */
  solutionOutput?: string;
  checks(options?: RunOptions): Promise<CheckReport>;
  dispose(): Promise<void>;
}

export class LabPreparationError extends Error {
  override name = 'LabPreparationError';
}

export async function freshLab(labId: string, options: { solution?: boolean; world?: LabInfo['world']; keep?: boolean } = {}): Promise<FreshLab> {
  const lab = findLab(labId);
  if (!lab) throw new LabPreparationError(`no lab called "${labId}"`);
  const dir = mkdtempSync(join(tmpdir(), `cloudpets-${labId}-`));
  const dispose = async (): Promise<void> => {
    await stopLabWorld(dir);
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  };
  createLabFolder(labId, dir, { world: options.world });
  const started = await startLabWorld(dir);
  if (!started.ok) {
    await dispose();
    throw new LabPreparationError(`the starting world did not start: ${started.error}`);
  }
  const setup = await ensureLabSetup(lab, dir);
  if (!setup.ok) {
    await dispose();
    throw new LabPreparationError(`the lab setup failed: ${setup.error}`);
  }
  let solutionOutput: string | undefined;
  if (options.solution) {
    const run = await runSolutionScript(labId, dir);
    solutionOutput = run.output;
    if (run.ran && run.exitCode !== 0) {
      await dispose();
      throw new LabPreparationError(`solution.sh failed (exit ${run.exitCode}):\n${run.output}`);
    }
    applySolutionFiles(labId, dir);
  }
  return { labId, dir, solutionOutput, checks: (runOptions) => runChecks(labId, dir, runOptions), dispose };
}
