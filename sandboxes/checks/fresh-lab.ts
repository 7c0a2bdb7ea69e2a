/**
 * A fresh lab in a temporary folder, in its starting state or with the reference solution
 * applied: the code path behind `npm run checks -- <lab> [--solution]`, shared by the tests.
 * The lab runs in the same in-process host as the lab shell (sandboxes/lab-shell/lab-host.ts):
 * its world is a child of this process, and solution.sh is typed line by line into a lab shell.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabInfo } from '../lab-folder/paths.ts';
import { applySolutionFiles, createLabFolder, readSolutionScript } from '../lab-folder/assemble.ts';
import { LabHost } from '../lab-shell/lab-host.ts';
import { createLabShell } from '../lab-shell/lab-shell.ts';
import { typeLines } from '../lab-shell/type-lines.ts';
import type { RunOptions } from './run-checks.ts';
import { findLab } from '../labs/registry.ts';
import type { CheckReport } from './types.ts';

export interface FreshLab {
  labId: string;
  dir: string;
  host: LabHost;
  /** What the lab shell printed while solution.sh was typed, when it was. */
  solutionOutput?: string;
  checks(options?: RunOptions): Promise<CheckReport>;
  dispose(): Promise<void>;
}

export class LabPreparationError extends Error {
  override name = 'LabPreparationError';
}

export async function freshLab(labId: string, options: { solution?: boolean; world?: LabInfo['world']; seed?: number; keep?: boolean } = {}): Promise<FreshLab> {
  const lab = findLab(labId);
  if (!lab) throw new LabPreparationError(`no lab called "${labId}"`);
  const dir = mkdtempSync(join(tmpdir(), `cloudpets-${labId}-`));
  createLabFolder(labId, dir, { world: options.world, seed: options.seed });
  const host = new LabHost(dir);
  const dispose = async (): Promise<void> => {
    await host.close();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  };
  const started = await host.startWorld();
  if (!started.ok) {
    await dispose();
    throw new LabPreparationError(`the starting world did not start: ${started.error}`);
  }
  let solutionOutput: string | undefined;
  if (options.solution) {
    const script = readSolutionScript(labId);
    if (script !== undefined) {
      const typed = await typeLines(createLabShell(host), script);
      solutionOutput = typed.output;
      if (typed.exitCode !== 0) {
        await dispose();
        throw new LabPreparationError(`solution.sh failed at \`${typed.failedLine}\` (exit ${typed.exitCode}):\n${typed.output}`);
      }
    }
    applySolutionFiles(labId, dir);
  }
  return { labId, dir, host, solutionOutput, checks: (runOptions) => host.runChecks(runOptions), dispose };
}
