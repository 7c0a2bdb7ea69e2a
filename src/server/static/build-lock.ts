import { mkdir, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Two `npm start`s (or two browser test files) can find dist/ stale at the same moment; two
 * Astro builds writing one dist/ corrupt it. A lock folder (mkdir is atomic) lets one build
 * while the other waits and then re-checks. A lock older than `staleAfterMs` is left over
 * from a killed build and is taken over.
 */
export async function withBuildLock<T>(lockDir: string, work: () => Promise<T>, options: { waitMs?: number; staleAfterMs?: number; onWait?: () => void } = {}): Promise<T> {
  const waitMs = options.waitMs ?? 10 * 60_000;
  const staleAfterMs = options.staleAfterMs ?? 10 * 60_000;
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lockDir).then((info) => Date.now() - info.mtimeMs, () => 0);
      if (age > staleAfterMs) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another build still holds ${lockDir} after ${Math.round(waitMs / 1000)} s; if no build is running, delete that folder`);
      if (!told) options.onWait?.();
      told = true;
      await sleep(250);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
