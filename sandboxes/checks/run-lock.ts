/**
 * One check run per lab folder at a time: a second "Run checks" while one is restarting the
 * world would restart it under the first. The lock is `.lab/checks.lock` holding the pid;
 * a lock left by a process that died is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

function holderAlive(path: string): boolean {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits for the lock (up to `timeoutMs`) and returns its release, or undefined on timeout. */
export async function acquireRunLock(labDir: string, timeoutMs = 120_000): Promise<(() => void) | undefined> {
  const path = join(labDir, '.lab', 'checks.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock whose holder died (a killed run) is stale: take it over.
      if (!holderAlive(path)) {
        rmSync(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) return undefined;
      await sleep(100);
    }
  }
}
