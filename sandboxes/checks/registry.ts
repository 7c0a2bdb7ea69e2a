/**
 * Every lab, in course order. Static imports (not a folder scan) so the lab bundle's esbuild
 * step sees every check and the same list works on Node and in WebContainer.
 */
import recon from '../labs/recon/lab.ts';
import openDoor from '../labs/open-door/lab.ts';
import recordings from '../labs/recordings/lab.ts';
import cracking from '../labs/cracking/lab.ts';
import ransom from '../labs/ransom/lab.ts';
import lockDatabase from '../labs/lock-database/lab.ts';
import lockBucket from '../labs/lock-bucket/lab.ts';
import passwordPolicy from '../labs/password-policy/lab.ts';
import detectAndRespond from '../labs/detect-and-respond/lab.ts';
import capstone from '../labs/capstone/lab.ts';
import type { LabDefinition } from './types.ts';

export const LABS: readonly LabDefinition[] = [recon, openDoor, recordings, cracking, ransom, lockDatabase, lockBucket, passwordPolicy, detectAndRespond, capstone];

export function findLab(id: string): LabDefinition | undefined {
  return LABS.find((lab) => lab.meta.id === id);
}
