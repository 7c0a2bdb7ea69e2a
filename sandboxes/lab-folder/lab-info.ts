import { readFileSync } from 'node:fs';
import { labInfoPath, type LabInfo } from './paths.ts';

/** What `.lab/lab.json` records of a lab folder; throws, naming the folder, when it is missing or unreadable. */
export function readLabInfo(labDir: string): LabInfo {
  try {
    return JSON.parse(readFileSync(labInfoPath(labDir), 'utf8')) as LabInfo;
  } catch {
    throw new Error(`${labDir} is not a lab folder: .lab/lab.json is missing or unreadable`);
  }
}
