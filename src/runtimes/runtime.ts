/**
 * The Runtime interface: what the lab panel needs from "somewhere that runs a lab", kept
 * apart from the UI (the TutorialKit split). Two implementations: the local runner
 * (a WebSocket to `npm start`, see ./local) and WebContainer (see ./webcontainer).
 */

export type RuntimeKind = 'local' | 'webcontainer';

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** An interactive shell with a terminal attached. */
export interface Shell {
  /** Terminal output (already UTF-8 decoded). Returns an unsubscribe function. */
  onData(listener: (data: string) => void): () => void;
  write(data: string): void;
  resize(size: TerminalSize): void;
  /** Resolves with the exit code when the shell ends (or the runtime goes away). */
  readonly exit: Promise<number>;
  kill(): void;
}

export interface ExecResult {
  /** stdout and stderr interleaved, as a terminal would show them. */
  output: string;
  exitCode: number;
}

export interface ExecOptions {
  /** Relative to the lab folder. */
  cwd?: string;
  timeoutMs?: number;
}

export interface DirEntry {
  name: string;
  kind: 'file' | 'directory';
  /**
   * "size:mtime" of a file, where the runtime can tell cheaply (the local runner can;
   * WebContainer's readdir cannot): lets the panel see that nothing changed without reading.
   */
  version?: string;
}

/** One lab mounted in a runtime. Paths are relative to the lab folder, with `/` separators. */
export interface LabSession {
  readonly labId: string;
  openShell(size: TerminalSize): Promise<Shell>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  /** Entries of a folder; [] when it does not exist. */
  readdir(path: string): Promise<DirEntry[]>;
  exec(command: string, args: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Back to the starting files and a fresh world (the shell is closed; open a new one). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface Runtime {
  readonly kind: RuntimeKind;
  /** Shown in the panel, e.g. "Local runner (npm start)". */
  readonly label: string;
  boot(): Promise<void>;
  mount(labId: string): Promise<LabSession>;
  teardown(): Promise<void>;
}

/** A runtime failure with a message written for the learner (shown as is in the panel). */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
  constructor(
    message: string,
    /** Extra help, e.g. how to run the course locally. */
    readonly help?: string,
  ) {
    super(message);
  }
}

/** Lab paths are relative and never leave the lab folder. */
export function normaliseLabPath(path: string): string {
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
