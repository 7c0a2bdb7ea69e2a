/**
 * Finds and kills every process a lab started. A process group is not enough: an
 * interactive bash puts each job in its own group, `setsid` or a daemonising tool leaves the
 * session, and orphans are re-parented away from our tree. So every process of a lab carries
 * a random marker in its environment (inherited by everything it starts) and we look for it
 * in /proc/<pid>/environ, plus the pty's session and descendants of known pids for anything
 * that was started with a scrubbed environment. Linux-only (/proc); elsewhere we fall back to
 * killing the known process groups.
 *
 * A learner's process that leaves the session (`setsid`) AND scrubs its environment
 * (`env -i`) escapes both the marker and the session test; it is still found while its
 * working directory is inside the lab folder, which it cannot leave through the lab's own
 * commands (the lab shell refuses paths outside the lab).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from '../../../sandboxes/lab-session/process-alive.ts';

export const LAB_MARKER_VARIABLE = 'CLOUDPETS_LAB_RUN';

/**
 * A new lab's marker: the pid of the runner that owns the lab, then a random part. The pid
 * lets a later runner recognise labs whose runner died without closing them (killed with
 * SIGKILL, a crash) and clean them up.
 */
export function newLabMarker(): string {
  return `${process.pid}.${randomUUID()}`;
}

/** Lab folders are named `cloudpets-<runner pid>-<lab>-XXXXXX`, so an orphan's owner can be told. */
export function labFolderPrefix(runnerPid: number): string {
  return `cloudpets-${runnerPid}-`;
}

/**
 * Removes the lab folders under workRoot whose runner is gone (it crashed or was killed
 * before it could clean up). Only our own folders (same uid) are touched. Returns how many.
 */
export function removeOrphanedLabFolders(workRoot: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(workRoot);
  } catch {
    return 0;
  }
  for (const name of names) {
    const match = /^cloudpets-(\d+)-[a-z0-9][a-z0-9-]*-[A-Za-z0-9]{6}$/.exec(name);
    if (!match) continue;
    const owner = Number(match[1]);
    if (owner === process.pid || isProcessAlive(owner)) continue;
    const path = join(workRoot, name);
    try {
      if (typeof process.getuid === 'function' && statSync(path).uid !== process.getuid()) continue;
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return removed;
}

function markerOf(pid: number): string | undefined {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').find((e) => e.startsWith(`${LAB_MARKER_VARIABLE}=`));
    return entry?.slice(LAB_MARKER_VARIABLE.length + 1);
  } catch {
    return undefined;
  }
}

/**
 * Kills what is left of labs whose runner is gone: every process whose marker names a runner
 * pid that no longer lives. Runs when a runner starts; Linux only, like the scan itself.
 * Returns how many processes were killed.
 */
export async function reapOrphanedLabs(): Promise<number> {
  if (process.platform !== 'linux') return 0;
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return 0;
  }
  const orphaned = new Set<string>();
  for (const pid of pids) {
    const marker = markerOf(pid);
    const owner = marker ? Number(marker.split('.')[0]) : NaN;
    if (marker && Number.isInteger(owner) && owner > 0 && owner !== process.pid && !isProcessAlive(owner)) orphaned.add(marker);
  }
  let killed = 0;
  for (const marker of orphaned) killed += await killLabProcesses(marker);
  return killed;
}

interface ProcInfo {
  pid: number;
  ppid: number;
  sid: number;
  pgid: number;
}

function readStat(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (state === 'Z' || state === 'X') return undefined; // zombies are already dead
    return { pid, ppid: Number(fields[1]), pgid: Number(fields[2]), sid: Number(fields[3]) };
  } catch {
    return undefined;
  }
}

function hasMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${LAB_MARKER_VARIABLE}=${marker}`);
  } catch {
    return false; // not ours (EACCES) or gone
  }
}

function cwdInside(pid: number, folder: string): boolean {
  try {
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    return cwd === folder || cwd.startsWith(folder + sep);
  } catch {
    return false; // not ours or gone
  }
}

/**
 * Every live process belonging to the lab with this marker (and these root pids, and, when
 * given, whose working directory is inside the lab's folder).
 */
export function findLabProcesses(marker: string, rootPids: number[] = [], labFolder?: string): number[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
  const infos = pids.map(readStat).filter((info): info is ProcInfo => info !== undefined);
  const found = new Set<number>();
  const roots = new Set(rootPids);
  for (const info of infos) {
    if (info.pid === process.pid) continue;
    if (roots.has(info.pid) || roots.has(info.sid) || roots.has(info.pgid) || hasMarker(info.pid, marker) || (labFolder && cwdInside(info.pid, labFolder))) {
      found.add(info.pid);
    }
  }
  // Descendants of anything found (covers children started with a scrubbed environment).
  let grew = true;
  while (grew) {
    grew = false;
    for (const info of infos) {
      if (!found.has(info.pid) && found.has(info.ppid) && info.pid !== process.pid) {
        found.add(info.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/**
 * SIGKILL everything of the lab, rescanning until nothing is left (a process may fork
 * between a scan and the kill). Returns how many processes were killed.
 */
export async function killLabProcesses(marker: string, rootPids: number[] = [], labFolder?: string): Promise<number> {
  let killed = 0;
  for (let round = 0; round < 50; round++) {
    const pids = process.platform === 'linux' ? findLabProcesses(marker, rootPids, labFolder) : rootPids;
    if (pids.length === 0) return killed;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // already gone
      }
      if (process.platform !== 'linux') {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // no such group
        }
      }
    }
    if (process.platform !== 'linux') return killed;
    await sleep(round < 5 ? 10 : 50);
  }
  return killed;
}
