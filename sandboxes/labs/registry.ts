/**
 * Every lab, in the order of the lessons (lessons/NN-*.mdx: the ransom of lesson 5 comes
 * before the cracking of lesson 6). Static imports (not a folder scan) so the lab bundle's
 * esbuild step sees every check and the same list works on Node and in WebContainer. It lives
 * with the labs, above the check framework it uses (checks never import the labs).
 */
import recon from './recon/lab.ts';
import openDoor from './open-door/lab.ts';
import recordings from './recordings/lab.ts';
import cracking from './cracking/lab.ts';
import ransom from './ransom/lab.ts';
import lockDatabase from './lock-database/lab.ts';
import lockBucket from './lock-bucket/lab.ts';
import passwordPolicy from './password-policy/lab.ts';
import detectAndRespond from './detect-and-respond/lab.ts';
import capstone from './capstone/lab.ts';
import type { LabDefinition } from '../checks/types.ts';

export const LABS: readonly LabDefinition[] = [recon, openDoor, recordings, ransom, cracking, lockDatabase, lockBucket, passwordPolicy, detectAndRespond, capstone];

export function findLab(id: string): LabDefinition | undefined {
  return LABS.find((lab) => lab.meta.id === id);
}
