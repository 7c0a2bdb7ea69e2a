/**
 * A lab's starting files, assembled instead of committed ten times: every lab starts from the
 * world's 2016 state (sandboxes/world/starting plus the app, sandboxes/world/api/starting-app.js),
 * and `sandboxes/labs/<id>/starting/` holds only what that lab adds or changes (a notes file,
 * a findings file, a wordlist). Used by `npm run checks`, the tests and the lab bundle build,
 * so every lab folder, however it is made, starts the same.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORLD_STARTING = fileURLToPath(new URL('../world/starting/', import.meta.url));
const STARTING_APP = fileURLToPath(new URL('../world/api/starting-app.js', import.meta.url));
const LABS_ROOT = fileURLToPath(new URL('../labs/', import.meta.url));

/** The folder of one lab's own starting files (its differences from the shared tree). */
export const labStartingDiffDir = (labId: string): string => join(LABS_ROOT, labId, 'starting');

/** Writes a lab's starting files into `dir`: the shared 2016 tree, then the lab's own files over it. */
export function copyStartingFiles(labId: string, dir: string): void {
  mkdirSync(join(dir, 'api'), { recursive: true });
  // README.md explains the folder to contributors; it is not a learner's file.
  cpSync(WORLD_STARTING, dir, { recursive: true, filter: (source) => basename(source) !== 'README.md' || source === WORLD_STARTING });
  copyFileSync(STARTING_APP, join(dir, 'api', 'app.js'));
  const own = labStartingDiffDir(labId);
  if (existsSync(own)) cpSync(own, dir, { recursive: true });
}
