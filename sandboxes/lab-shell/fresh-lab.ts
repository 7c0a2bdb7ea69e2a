/**
 * A fresh lab in a temporary folder, in its starting state or with the reference solution
 * applied: the code path behind `npm run checks -- <lab> [--solution]` (./checks-cli.ts), shared
 * by the tests and the grader. The lab runs in the lab shell's own in-process host
 * (./lab-host.ts): its world is a child of this process, and solution.sh is typed line by line
 * into a lab shell (./type-lines.ts), never run by bash. It lives with the lab shell because it
 * drives one, and above the labs, so it may find a lab by its id in the registry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabInfo } from '../lab-folder/paths.ts';
import { applySolutionFiles, createLabFolder, readSolutionScript } from '../lab-folder/assemble.ts';
import type { RunOptions } from '../checks/run-checks.ts';
import type { CheckReport } from '../checks/types.ts';
import { findLab, LABS } from '../labs/registry.ts';
import { LabHost } from './lab-host.ts';
import { createLabShell } from './lab-shell.ts';
import { typeLines } from './type-lines.ts';

export interface FreshLab {
  labId: string;
  dir: string;
  host: LabHost;
  /** What the lab shell printed while solution.sh was typed, when it was. */
  solutionOutput?: string;
  checks(options?: RunOptions): Promise<CheckReport>;
  dispose(): Promise<void>;
}

export interface FreshLabOptions {
  /** Type solution.sh into a lab shell, then copy solution/ over the folder. */
  solution?: boolean;
  world?: LabInfo['world'];
  /** The learner seed, written to .lab/lab.json. */
  seed?: number;
  /** Leave the folder behind on dispose (to look at it). */
  keep?: boolean;
}

export class LabPreparationError extends Error {
  override name = 'LabPreparationError';
}

export async function freshLab(labId: string, options: FreshLabOptions = {}): Promise<FreshLab> {
  const lab = findLab(labId);
  if (!lab) throw new LabPreparationError(`no lab called "${labId}"; the labs are: ${LABS.map((known) => known.meta.id).join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), `cloudpets-${labId}-`));
  createLabFolder(lab.meta, dir, { world: options.world, seed: options.seed });
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
