/**
 * The in-browser runtime: StackBlitz WebContainer. Boots once per page, mounts the lab's
 * prebuilt tree (fetched from /labs/<id>.tree.json, emitted by the build; no npm install),
 * runs jsh in it. Only the slice of @webcontainer/api we use is typed here, so tests can
 * drive the adapter with a fake (test/runtimes/fake-webcontainer.ts).
 *
 * Offline or behind a firewall WebContainer.boot() never settles (it waits for an iframe from
 * stackblitz.com), so boot is raced against a timeout with a message that says what to do.
 */
import {
  type DirEntry,
  type ExecOptions,
  type ExecResult,
  type LabSession,
  type Runtime,
  type Shell,
  type TerminalSize,
  RUN_LOCALLY_HELP,
  RuntimeError,
  normaliseLabPath,
} from '../runtime.ts';

export interface WcProcess {
  exit: Promise<number>;
  input: WritableStream<string>;
  output: ReadableStream<string>;
  kill(): void;
  resize(size: { cols: number; rows: number }): void;
}

export interface WcDirent {
  name: string;
  isFile(): boolean;
  isDirectory(): boolean;
}

export interface WcInstance {
  fs: {
    readFile(path: string): Promise<Uint8Array>;
    writeFile(path: string, data: string | Uint8Array): Promise<void>;
    readdir(path: string, options: { withFileTypes: true }): Promise<WcDirent[]>;
    mkdir(path: string, options: { recursive: true }): Promise<unknown>;
    rm(path: string, options: { recursive: true; force: true }): Promise<void>;
  };
  mount(tree: unknown, options?: { mountPoint?: string }): Promise<void>;
  spawn(command: string, args: string[], options?: { cwd?: string; env?: Record<string, string>; terminal?: { cols: number; rows: number }; output?: boolean }): Promise<WcProcess>;
  teardown(): void;
  readonly workdir: string;
}

export interface WcApi {
  boot(options?: { coep?: 'require-corp' | 'credentialless' | 'none'; workdirName?: string }): Promise<WcInstance>;
}

export interface WebContainerRuntimeOptions {
  /** Loads @webcontainer/api; tests pass a fake. */
  loadApi?: () => Promise<WcApi>;
  /** Fetches a lab's FileSystemTree JSON. */
  fetchTree?: (labId: string) => Promise<unknown>;
  bootTimeoutMs?: number;
  /** Labs mount under this folder of the workdir. */
  labsRoot?: string;
}

const DEFAULT_BOOT_TIMEOUT_MS = 20_000;

// WebContainer allows one booted instance per page: share it between panels.
let sharedBoot: Promise<WcInstance> | undefined;

/** For tests: forget the page-wide instance. */
export function forgetSharedWebContainer(): void {
  sharedBoot = undefined;
}

async function defaultLoadApi(): Promise<WcApi> {
  const module = await import('@webcontainer/api');
  return module.WebContainer as unknown as WcApi;
}

async function defaultFetchTree(labId: string): Promise<unknown> {
  const response = await fetch(`/labs/${encodeURIComponent(labId)}.tree.json`);
  if (!response.ok) {
    throw new RuntimeError(`The files of lab "${labId}" are missing from this site (HTTP ${response.status}).`, 'Rebuild the site with `npm run build`.');
  }
  return decodeTree(await response.json());
}

type JsonTree = Record<string, { directory: JsonTree } | { file: { contents: string | { base64: string } } }>;
type MountTree = Record<string, { directory: MountTree } | { file: { contents: string | Uint8Array } }>;

/** The build writes binary files (WAVs) as {base64}; WebContainer wants bytes. */
export function decodeTree(tree: JsonTree): MountTree {
  const out: MountTree = {};
  for (const [name, node] of Object.entries(tree)) {
    if ('directory' in node) out[name] = { directory: decodeTree(node.directory) };
    else {
      const contents = node.file.contents;
      if (typeof contents === 'string') out[name] = { file: { contents } };
      else {
        const binary = atob(contents.base64);
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        out[name] = { file: { contents: bytes } };
      }
    }
  }
  return out;
}

export class WebContainerRuntime implements Runtime {
  readonly kind = 'webcontainer' as const;
  readonly label = 'In your browser (WebContainer)';
  private instance: WcInstance | undefined;
  private readonly options: Required<WebContainerRuntimeOptions>;

  constructor(options: WebContainerRuntimeOptions = {}) {
    this.options = {
      loadApi: options.loadApi ?? defaultLoadApi,
      fetchTree: options.fetchTree ?? defaultFetchTree,
      bootTimeoutMs: options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS,
      labsRoot: options.labsRoot ?? 'labs',
    };
  }

  async boot(): Promise<void> {
    if (this.instance) return;
    if (typeof crossOriginIsolated !== 'undefined' && !crossOriginIsolated) {
      throw new RuntimeError(
        'This page is not cross-origin isolated, so the in-browser lab cannot start.',
        `The site must be served with the COOP/COEP headers. ${RUN_LOCALLY_HELP}`,
      );
    }
    sharedBoot ??= this.options.loadApi().then((api) => api.boot({ coep: 'require-corp', workdirName: 'cloudpets' }));
    const boot = sharedBoot;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new RuntimeError(
            `The in-browser lab did not start within ${Math.round(this.options.bootTimeoutMs / 1000)} seconds. It needs to reach stackblitz.com, which is not reachable from here (offline, or blocked by a firewall).`,
            RUN_LOCALLY_HELP,
          ),
        );
      }, this.options.bootTimeoutMs);
    });
    try {
      this.instance = await Promise.race([boot, timeout]);
    } catch (error) {
      // A later attempt (e.g. after the network comes back) should try again, not reuse a hung boot.
      if (sharedBoot === boot) sharedBoot = undefined;
      if (error instanceof RuntimeError) throw error;
      throw new RuntimeError(`The in-browser lab could not start: ${(error as Error).message}`, RUN_LOCALLY_HELP);
    } finally {
      clearTimeout(timer);
    }
  }

  async mount(labId: string): Promise<LabSession> {
    await this.boot();
    const instance = this.instance!;
    const tree = await this.options.fetchTree(labId);
    const root = `${this.options.labsRoot}/${labId}`;
    const session = new WebContainerLabSession(labId, instance, root, tree);
    await session.mountFresh();
    return session;
  }

  async teardown(): Promise<void> {
    // The instance stays booted for the page (boot once per page); only forget our handle.
    this.instance = undefined;
  }
}

async function pipeOutput(process: WcProcess, listener: (data: string) => void): Promise<void> {
  const reader = process.output.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (value) listener(value);
    }
  } catch {
    // the process went away
  } finally {
    reader.releaseLock();
  }
}

class WebContainerLabSession implements LabSession {
  private readonly processes = new Set<WcProcess>();

  constructor(
    readonly labId: string,
    private readonly instance: WcInstance,
    /** The lab folder, relative to the workdir. */
    private readonly root: string,
    private readonly tree: unknown,
  ) {}

  private get absoluteRoot(): string {
    return `${this.instance.workdir.replace(/\/$/, '')}/${this.root}`;
  }

  private env(): Record<string, string> {
    const dir = this.absoluteRoot;
    return {
      PATH: `${dir}/.lab/bin:/usr/local/bin:/usr/bin:/bin`,
      HOME: dir,
      CLOUDPETS_LAB: this.labId,
      CLOUDPETS_LAB_DIR: dir,
      CLOUDPETS_NETWORK: `${dir}/.lab/network.json`,
      CLOUDPETS_WORLD_ENTRY: `${dir}/.lab/world-process.mjs`,
      TERM: 'xterm-256color',
    };
  }

  async mountFresh(): Promise<void> {
    await this.instance.fs.rm(this.root, { recursive: true, force: true });
    await this.instance.fs.mkdir(this.root, { recursive: true });
    await this.instance.mount(this.tree, { mountPoint: this.root });
    // Start the world in the background; the shell does not wait for it.
    void this.exec('node', ['.lab/lab-session.mjs', 'start', '--lab', this.absoluteRoot], { timeoutMs: 60_000 }).catch(() => undefined);
  }

  private path(path: string): string {
    return `${this.root}/${normaliseLabPath(path)}`;
  }

  async openShell(size: TerminalSize): Promise<Shell> {
    const process = await this.instance.spawn('jsh', ['--osc'], { cwd: this.absoluteRoot, env: this.env(), terminal: size });
    this.processes.add(process);
    const listeners = new Set<(data: string) => void>();
    void pipeOutput(process, (data) => listeners.forEach((listener) => listener(data)));
    const writer = process.input.getWriter();
    const exit = process.exit.finally(() => this.processes.delete(process));
    return {
      onData: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      write: (data) => void writer.write(data).catch(() => undefined),
      resize: (next) => process.resize(next),
      exit,
      kill: () => process.kill(),
    };
  }

  async readFile(path: string): Promise<Uint8Array> {
    try {
      return await this.instance.fs.readFile(this.path(path));
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      throw new RuntimeError(`no such file in the lab: ${path}`);
    }
  }

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const full = this.path(path);
    const parent = full.slice(0, full.lastIndexOf('/'));
    if (parent) await this.instance.fs.mkdir(parent, { recursive: true });
    await this.instance.fs.writeFile(full, data);
  }

  async readdir(path: string): Promise<DirEntry[]> {
    const full = path === '' || path === '.' ? this.root : this.path(path);
    try {
      const entries = await this.instance.fs.readdir(full, { withFileTypes: true });
      return entries
        .filter((entry) => entry.isFile() || entry.isDirectory())
        .map((entry) => ({ name: entry.name, kind: entry.isDirectory() ? ('directory' as const) : ('file' as const) }));
    } catch {
      return [];
    }
  }

  async exec(command: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const cwd = options.cwd ? `${this.absoluteRoot}/${normaliseLabPath(options.cwd)}` : this.absoluteRoot;
    const process = await this.instance.spawn(command, args, { cwd, env: this.env() });
    this.processes.add(process);
    let output = '';
    const collected = pipeOutput(process, (data) => (output += data));
    const timeoutMs = options.timeoutMs ?? 60_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        output += `\n${command}: stopped after ${Math.round(timeoutMs / 1000)} s\n`;
        resolve(124); // before kill(): the exit code says "timed out", not "killed"
        process.kill();
      }, timeoutMs);
    });
    try {
      const exitCode = await Promise.race([process.exit, timedOut]);
      await Promise.race([collected, new Promise((resolve) => setTimeout(resolve, 50))]);
      return { output, exitCode };
    } finally {
      clearTimeout(timer);
      this.processes.delete(process);
    }
  }

  async reset(): Promise<void> {
    await this.exec('node', ['.lab/lab-session.mjs', 'stop', '--lab', this.absoluteRoot], { timeoutMs: 10_000 }).catch(() => undefined);
    this.killAll();
    await this.mountFresh();
  }

  private killAll(): void {
    for (const process of this.processes) {
      try {
        process.kill();
      } catch {
        // already gone
      }
    }
    this.processes.clear();
  }

  async close(): Promise<void> {
    // The world runs detached from any process we hold: ask lab-session to stop it.
    await this.exec('node', ['.lab/lab-session.mjs', 'stop', '--lab', this.absoluteRoot], { timeoutMs: 10_000 }).catch(() => undefined);
    this.killAll();
  }
}
