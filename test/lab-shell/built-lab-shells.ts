/**
 * Lab shells on fresh copies of the built labs (built-labs.ts), held to WebContainer's limits
 * (pty-shell.ts): one opening for the suites that type into many labs, instead of each keeping
 * its own list of shells to kill and folders to remove.
 */
import { afterAll, beforeAll } from 'vitest';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PtyShell } from './pty-shell.ts';
import { builtLabs, freshBuiltLab } from './built-labs.ts';

/** A lab shell at its prompt on a fresh copy of the built lab; its guard logs beside the folder. */
export async function openBuiltLabShell(labId: string): Promise<PtyShell> {
  const dir = await freshBuiltLab(labId);
  const shell = new PtyShell(dir, join(dir, '..', 'guard.log'));
  await shell.ready();
  return shell;
}

/**
 * For a test file: builds the labs before its tests, and after them kills every shell `open`
 * gave and removes its folder, whatever the tests left running.
 */
export function builtLabShells(): { open(labId: string): Promise<PtyShell> } {
  const opened: PtyShell[] = [];
  beforeAll(async () => {
    await builtLabs();
  });
  afterAll(() => {
    for (const shell of opened.splice(0)) {
      shell.kill();
      rmSync(dirname(shell.labDir), { recursive: true, force: true });
    }
  });
  return {
    async open(labId) {
      const shell = await openBuiltLabShell(labId);
      opened.push(shell);
      return shell;
    },
  };
}
