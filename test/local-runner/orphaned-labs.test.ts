/**
 * A runner killed outright (SIGKILL) cannot stop its labs; the next runner must. Processes
 * whose lab marker names a dead runner are stopped, those of a live runner are left alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LAB_MARKER_VARIABLE, reapOrphanedLabs } from '../../src/server/local-runner/process-reaper.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = spawnSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' }).stdout;
  return !/\) Z /.test(stat);
}

function labProcess(marker: string): number {
  const child = spawn('sleep', ['300'], { env: { ...process.env, [LAB_MARKER_VARIABLE]: marker }, detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

describe.skipIf(process.platform !== 'linux')('labs left by a runner that died', () => {
  it('are stopped by the next runner; labs of a live runner are not', async () => {
    const deadRunner = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(deadRunner.stdout);
    const liveRunner = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    liveRunner.unref();
    const orphan = labProcess(`${deadPid}.orphaned-lab`);
    const kept = labProcess(`${liveRunner.pid}.live-lab`);
    try {
      expect(alive(orphan) && alive(kept)).toBe(true);
      expect(await reapOrphanedLabs()).toBeGreaterThanOrEqual(1);
      await expect.poll(() => alive(orphan)).toBe(false);
      expect(alive(kept)).toBe(true);
    } finally {
      for (const pid of [orphan, kept, liveRunner.pid!]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
});
