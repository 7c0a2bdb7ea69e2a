/**
 * The arguments of the programs that open a lab by its id (`npm run checks`, `npm run lab`):
 * one lookup of the lab and one range for the learner seed, so both answer a wrong id or seed
 * with the same line.
 */
import { integerOption, UsageError, type ParsedArgs } from '../command-line/arguments.ts';
import { MAX_SEED } from '../world/dataset/seed.ts';
import type { LabDefinition } from '../checks/types.ts';
import { LABS, findLab } from './registry.ts';

export const LAB_IDS: readonly string[] = LABS.map((lab) => lab.meta.id);

/** The lab a program names; a UsageError listing the labs when there is none by that id. */
export function labNamed(program: string, labId: string): LabDefinition {
  const lab = findLab(labId);
  if (!lab) throw new UsageError(`${program}: no lab called "${labId}"; the labs are: ${LAB_IDS.join(', ')}`);
  return lab;
}

/** `--seed N`: a learner seed, a whole number from 0 to MAX_SEED, or undefined when not given. */
export function seedOption(program: string, values: ParsedArgs['values']): number | undefined {
  const seed = integerOption(program, values, 'seed', 0);
  if (seed !== undefined && seed > MAX_SEED) throw new UsageError(`${program}: --seed must be a whole number from 0 to ${MAX_SEED} (a learner seed), got '${seed}'`);
  return seed;
}
