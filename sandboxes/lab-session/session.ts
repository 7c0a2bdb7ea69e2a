/**
 * The in-process lab host's worlds: one LabWorld (a child of this process) per lab folder, so
 * the lab shell, `npm run checks` and the tests share one code path. The functions below keep
 * the names the checks and tests use.
 */
import { resolve } from 'node:path';
import { LabWorld, readWorldInfo, type StartOptions, type StartResult, type WorldInfo } from './lab-world.ts';

export { LabWorld, readWorldInfo };
export type { StartOptions, StartResult, WorldInfo };

const worlds = new Map<string, LabWorld>();

/** This process's world for a lab folder (created on first use, not started). */
export function labWorld(labDir: string): LabWorld {
  const dir = resolve(labDir);
  let world = worlds.get(dir);
  if (!world) {
    world = new LabWorld(dir);
    worlds.set(dir, world);
  }
  return world;
}

export const startLabWorld = (labDir: string, options?: StartOptions): Promise<StartResult> => labWorld(labDir).start(options);
export const restartLabWorld = (labDir: string, options?: StartOptions): Promise<StartResult> => labWorld(labDir).restart(options);
export const stopLabWorld = (labDir: string): Promise<boolean> => labWorld(labDir).stop();
/** The running world's info, or undefined when this process runs none for the folder. */
export const labWorldStatus = (labDir: string): WorldInfo | undefined => worlds.get(resolve(labDir))?.info;

/** Stops every world this process started (a test's afterAll, a CLI's exit). */
export async function stopAllLabWorlds(): Promise<void> {
  await Promise.all([...worlds.values()].map((world) => world.close()));
}
