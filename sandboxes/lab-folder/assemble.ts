/**
 * Makes a lab folder from a lab's starting files (the shared 2016 tree plus the lab's own
 * differences, ./starting-files.ts; what `npm run checks` and the tests use;
 * the runtimes mount the bundled equivalent), and finds a lab's reference solution: the
 * solution.sh a learner would type (sandboxes/lab-shell/type-lines.ts types it into the lab
 * shell) and the solution files. The caller hands in which lab (its id and title, a LabMeta
 * fits): the lab registry sits layers above this folder, so nothing here looks a lab up.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labInfoPath, type LabInfo } from './paths.ts';
import { copyStartingFiles } from './starting-files.ts';

const LABS_ROOT = fileURLToPath(new URL('../labs/', import.meta.url));

export const labSourceDir = (labId: string): string => join(LABS_ROOT, labId);

export interface CreateOptions {
  world?: LabInfo['world'];
  /** The learner seed, written to .lab/lab.json. */
  seed?: number;
}

/** Which lab a folder is made for: what `.lab/lab.json` records of it. */
export type LabIdentity = Pick<LabInfo, 'id' | 'title'>;

export function createLabFolder(lab: LabIdentity, dir: string, options: CreateOptions = {}): void {
  mkdirSync(join(dir, '.lab'), { recursive: true });
  copyStartingFiles(lab.id, dir);
  const info: LabInfo = { id: lab.id, title: lab.title, createdAt: new Date().toISOString(), ...(options.seed !== undefined ? { seed: options.seed } : {}), ...(options.world ? { world: options.world } : {}) };
  writeFileSync(labInfoPath(dir), JSON.stringify(info, null, 2) + '\n');
}

/** The lab's solution.sh, or undefined when it has none (a fix lab's answer is files only). */
export function readSolutionScript(labId: string): string | undefined {
  const script = join(labSourceDir(labId), 'solution.sh');
  return existsSync(script) ? readFileSync(script, 'utf8') : undefined;
}

/** Copies solution/ over the lab folder (the reference fix's files). */
export function applySolutionFiles(labId: string, dir: string): boolean {
  const files = join(labSourceDir(labId), 'solution');
  if (!existsSync(files)) return false;
  cpSync(files, dir, { recursive: true });
  return true;
}
