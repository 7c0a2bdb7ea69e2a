import { readFileSync } from 'node:fs';
// Used only by the local runner (src/server/local-runner/process-reaper.ts) to find labs left
// by a runner that died; nothing inside a lab relies on it (docs/lab-runtime-contract.md).

/**
 * Whether a process still runs. kill(pid, 0) alone is not enough: a detached process whose
 * parent has exited is reaped by init, and where init reaps slowly (containers, some
 * sandboxes) a finished process lingers as a zombie that still answers kill(pid, 0). On Linux
 * /proc tells a zombie apart; elsewhere kill(pid, 0) is all there is.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
