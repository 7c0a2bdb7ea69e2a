/**
 * Where a lab folder keeps its runtime state. Everything lives in `<lab>/.lab/` so a learner's
 * own files are never mixed with ours, and "Reset lab" can wipe one folder.
 */
import { join } from 'node:path';

export const labStateDir = (labDir: string): string => join(labDir, '.lab');
export const worldInfoPath = (labDir: string): string => join(labDir, '.lab', 'world.json');
export const worldLogPath = (labDir: string): string => join(labDir, '.lab', 'world.log');
export const labInfoPath = (labDir: string): string => join(labDir, '.lab', 'lab.json');
export const setupDonePath = (labDir: string): string => join(labDir, '.lab', 'setup.json');
export const seededPath = (labDir: string): string => join(labDir, '.lab', 'seeded.json');
/** The last check report, however the checks were run (typed in the shell or from the page). */
export const reportsDir = (labDir: string): string => join(labDir, '.lab', 'reports');
export const lastReportPath = (labDir: string): string => join(labDir, '.lab', 'reports', 'last.json');
/** `.lab/control.json`: `{ port, token, pid }` of the running lab shell's control server (docs/lab-runtime-contract.md). */
export const controlInfoPath = (labDir: string): string => join(labDir, '.lab', 'control.json');

/** `.lab/world.json`: written by the world process, read by lab-session, the checks and runtimes. */
export interface WorldInfo {
  status: 'starting' | 'ready' | 'failed' | 'stopped';
  pid: number;
  labDir: string;
  startedAt: string;
  readyAt?: string;
  /** When status is "failed": why, in the world's own words (a mongod.conf error names the line). */
  error?: string;
  /** Path of the network map (.lab/network.json) once ready. */
  network?: string;
  /** Whatever the world reports about its services (database URI and log path, bucket and API URLs). */
  services?: Record<string, unknown>;
}

/** `.lab/lab.json`: which lab a folder holds; written when the folder is created. */
export interface LabInfo {
  id: string;
  title: string;
  createdAt: string;
  /**
   * The learner seed (src/progress/learner-identity.ts) this lab's world is built from: its
   * documents, weak-password accounts, server version, thief address and ransom note all
   * follow from it, and the checks compare with that world. Absent: DEFAULT_SEED (2016).
   */
  seed?: number;
  /** Dataset options handed to startWorld (tests use small worlds); a top-level seed wins over world.seed. */
  world?: { seed?: number; users?: number };
}
