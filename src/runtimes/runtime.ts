/**
 * The Runtime interface: what the lab panel needs from "somewhere that runs a lab", kept
 * apart from the UI (the TutorialKit split). Two implementations: the local runner
 * (a WebSocket to `npm start`, see ./local) and WebContainer (see ./webcontainer).
 *
 * The operations are lab-level (docs/lab-runtime-contract.md): the page never runs bundle
 * internals and never parses the terminal. There is deliberately no generic "exec".
 */
import type { CheckReport } from '../../sandboxes/checks/types.ts';
import { DATABASE_FILES, OUTPUT_PATHS } from '../../sandboxes/grading/hand-in-format.ts';

export type { CheckReport };

export type RuntimeKind = 'local' | 'webcontainer';

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** The lab shell's terminal (`node .lab/lab-shell.mjs`), ready for input. */
export interface Shell {
  /** Terminal output (already UTF-8 decoded, the ready signal stripped). Returns an unsubscribe function. */
  onData(listener: (data: string) => void): () => void;
  write(data: string): void;
  resize(size: TerminalSize): void;
  /** Resolves with the exit code when the shell ends (or the runtime goes away). */
  readonly exit: Promise<number>;
  kill(): void;
}

/** What the lab's world says about itself (`.lab/world.json`, or the control server's answer). */
export interface WorldStatus {
  status: 'starting' | 'ready' | 'failed' | 'stopped';
  /** When status is "failed": why, in the world's own words (a broken mongod.conf names its line). */
  error?: string;
  services?: Record<string, unknown>;
}

/** One of the learner's outputs (a file under downloads/, findings.txt, …). */
export interface LabOutput {
  /** Lab-relative, `/` separators. */
  path: string;
  size: number;
  /**
   * Changes whenever the file changes ("size:mtime" where the runtime can tell cheaply, else
   * size only): lets the panel see that nothing changed without reading the bytes.
   */
  version: string;
}

export interface ListOutputsOptions {
  database?: boolean;
}

export interface MountOptions {
  /** The learner's seed (src/progress): written into `.lab/lab.json` before the shell starts. */
  seed?: number;
}

/** One lab mounted in a runtime. Paths are relative to the lab folder, with `/` separators. */
export interface LabSession {
  readonly labId: string;
  /** Starts the lab shell; resolves once it signalled it is ready for input. */
  openShell(size: TerminalSize): Promise<Shell>;
  /** Restarts the world with the learner's current files. */
  restartWorld(): Promise<WorldStatus>;
  /** Runs the lab's checks (the world restarts first) and returns the report. */
  runChecks(): Promise<CheckReport>;
  /** Every new report, however the checks were run (the button or `checks` typed in the shell). */
  onReport(listener: (report: CheckReport) => void): () => void;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  /**
   * The learner's outputs (files under OUTPUT_DIRS and OUTPUT_FILES, the hand-in's list); with
   * `database`, the database's files too (a fix lab's hand-in carries them).
   */
  listOutputs(options?: ListOutputsOptions): Promise<LabOutput[]>;
  /** Back to the starting files and a fresh world (the shell is closed; open a new one). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface Runtime {
  readonly kind: RuntimeKind;
  /** Shown in the panel, e.g. "Local runner (npm start)". */
  readonly label: string;
  boot(): Promise<void>;
  mount(labId: string, options?: MountOptions): Promise<LabSession>;
  teardown(): Promise<void>;
}

/** A runtime failure with a message written for the learner (shown as is in the panel). */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
  constructor(
    message: string,
    /** Extra help, e.g. how to run the course locally. */
    readonly help?: string,
    /** The exit code of a lab operation that failed (124: it timed out), when there was one. */
    readonly exitCode?: number,
  ) {
    super(message);
  }
}

/** The exit code of an operation stopped because it ran out of time, in both runtimes (as `timeout(1)`). */
export const TIMED_OUT_EXIT_CODE = 124;

/** Where the learner's outputs live (the hand-in's list): folders walked (to a small depth) and single files. */
export const OUTPUT_DIRS: readonly string[] = OUTPUT_PATHS.filter((path) => path.endsWith('/')).map((path) => path.slice(0, -1));
export const OUTPUT_FILES: readonly string[] = OUTPUT_PATHS.filter((path) => !path.endsWith('/'));
/** The database's folder in a lab. */
export const DATABASE_DIR = DATABASE_FILES.replace(/\/$/, '');
/** How deep listOutputs walks below an output folder. */
export const OUTPUT_DEPTH = 3;

/** What the output walk needs from a runtime's file system (paths relative to the lab folder). */
export interface OutputFileSystem {
  /** A folder's entries; [] when it cannot be read. */
  entries(dir: string): Promise<{ name: string; isDirectory(): boolean; isFile(): boolean }[]>;
  /** A regular file's size and version, or undefined when it is not one (or is gone). */
  describe(path: string): Promise<{ size: number; version: string } | undefined>;
}

/** The learner's outputs, walked the same way in both runtimes: OUTPUT_DIRS (and the database's folder on request), then OUTPUT_FILES. */
export async function collectOutputs(fs: OutputFileSystem, options: ListOutputsOptions = {}): Promise<LabOutput[]> {
  const found: LabOutput[] = [];
  const add = async (path: string): Promise<void> => {
    const described = await fs.describe(path);
    if (described) found.push({ path, ...described });
  };
  const walk = async (dir: string, depth: number): Promise<void> => {
    for (const entry of await fs.entries(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory() && depth < OUTPUT_DEPTH) await walk(path, depth + 1);
      else if (entry.isFile()) await add(path);
    }
  };
  for (const dir of [...OUTPUT_DIRS, ...(options.database ? [DATABASE_DIR] : [])]) await walk(dir, 0);
  for (const file of OUTPUT_FILES) await add(file);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/** Lab paths are relative and never leave the lab folder. */
export function normaliseLabPath(path: string): string {
  if (typeof path !== 'string') throw new RuntimeError('a lab path must be a string');
  if (path.includes('\0')) throw new RuntimeError(`path "${path.replace(/\0/g, '\\0')}" holds a NUL byte; name a real file`);
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw new RuntimeError(`path "${path}" leaves the lab folder; use a path inside it`);
    parts.push(part);
  }
  if (parts.length === 0) throw new RuntimeError(`path "${path}" names the lab folder itself; name a file inside it`);
  return parts.join('/');
}

export const RUN_LOCALLY_HELP =
  'Run the course on your own machine instead: clone the repository, then `npm install && npm start`, and open the address it prints.';

/** The lab shell's ready signal (docs/lab-runtime-contract.md): an OSC the terminal ignores. */
export const READY_SIGNAL = '\x1b]654;cloudpets-ready\x07';

/**
 * Watches a terminal stream for the ready signal, which may arrive split across chunks.
 * Returns what to show (the signal removed) and whether it has been seen.
 */
export function createReadyDetector(): (chunk: string) => { text: string; ready: boolean } {
  let carry = '';
  let seen = false;
  return (chunk) => {
    if (seen) return { text: chunk.split(READY_SIGNAL).join(''), ready: true };
    const data = carry + chunk;
    const at = data.indexOf(READY_SIGNAL);
    if (at >= 0) {
      seen = true;
      carry = '';
      return { text: (data.slice(0, at) + data.slice(at + READY_SIGNAL.length)).split(READY_SIGNAL).join(''), ready: true };
    }
    // Hold back a tail that could be the start of the signal.
    let keep = 0;
    for (let n = Math.min(READY_SIGNAL.length - 1, data.length); n > 0; n--) {
      if (READY_SIGNAL.startsWith(data.slice(data.length - n))) {
        keep = n;
        break;
      }
    }
    carry = data.slice(data.length - keep);
    return { text: data.slice(0, data.length - keep), ready: false };
  };
}
