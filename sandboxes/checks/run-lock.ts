/**
 * One check run per lab folder at a time: a second "Run checks" while one is restarting the
 * world would restart it under the first. Every run in a lab folder goes through the one
 * process that owns its world (the lab shell, or `npm run checks` for its own temporary
 * folder), so an in-process queue is enough; no lock files or pids to test for liveness.
 */
import { resolve } from 'node:path';

const tails = new Map<string, Promise<void>>();

/** Waits for the lock (up to `timeoutMs`) and returns its release, or undefined on timeout. */
export async function acquireRunLock(labDir: string, timeoutMs = 120_000): Promise<(() => void) | undefined> {
  const key = resolve(labDir);
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((done) => (release = done));
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    previous.then(() => false),
    new Promise<boolean>((done) => (timer = setTimeout(() => done(true), timeoutMs))),
  ]);
  clearTimeout(timer);
  const finish = (): void => {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  };
  if (timedOut) {
    // Our turn still comes after the earlier run; give it straight back.
    void previous.then(finish);
    return undefined;
  }
  return finish;
}
