/**
 * The in-browser runtime: StackBlitz WebContainer. Boots once per page, mounts the lab's
 * prebuilt tree (fetched from the build, no npm install), and runs the lab shell in it as
 * `node .lab/lab-shell.mjs` with a terminal: never jsh, which lacks most of what the lessons
 * type (docs/lab-runtime-contract.md). Lab operations go through
 * `node .lab/lab-control.mjs <op>` (its stdout, never the terminal). Only the slice of
 * @webcontainer/api we use is typed here, so tests drive the adapter with a fake
 * (test/runtimes/fake-webcontainer.ts).
 *
 * Offline or behind a firewall WebContainer.boot() never settles (it waits for an iframe from
 * stackblitz.com), and a second boot() while one is pending throws, so boot is started once,
 * raced against a timeout, and a retry waits on the same pending boot.
 */
import {
  type CheckReport,
  type LabOutput,
  type LabSession,
  type MountOptions,
  type Runtime,
  type Shell,
  type TerminalSize,
  type WorldStatus,
  type ListOutputsOptions,
  collectOutputs,
  RUN_LOCALLY_HELP,
  RuntimeError,
  TIMED_OUT_EXIT_CODE,
  createReadyDetector,
  normaliseLabPath,
} from '../runtime.ts';
import { checkThisBrowser, type BrowserSupport } from './browser-support.ts';

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

export interface WcSpawnOptions {
  cwd?: string;
  env?: Record<string, string>;
  terminal?: { cols: number; rows: number };
  output?: boolean;
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
  spawn(command: string, args: string[], options?: WcSpawnOptions): Promise<WcProcess>;
  teardown(): void;
  readonly workdir: string;
}

export interface WcApi {
  boot(options?: { coep?: 'require-corp' | 'credentialless' | 'none'; workdirName?: string }): Promise<WcInstance>;
}

/** A Content-Security-Policy violation, as the page sees it (securitypolicyviolation event). */
export interface CspViolation {
  blockedURI: string;
  violatedDirective: string;
}

export interface WebContainerRuntimeOptions {
  /** Loads @webcontainer/api; tests pass a fake. */
  loadApi?: () => Promise<WcApi>;
  /** Fetches a lab's FileSystemTree (decoded, ready to mount). */
  fetchTree?: (labId: string) => Promise<unknown>;
  bootTimeoutMs?: number;
  /** How long the lab shell may take to say it is ready. */
  shellReadyTimeoutMs?: number;
  /** Labs mount under this folder of the workdir. */
  labsRoot?: string;
  /** Is this browser able to run WebContainer; default: navigator's. */
  checkBrowser?: () => BrowserSupport;
  /** Subscribes to CSP violations; default: the document's securitypolicyviolation events. */
  watchCsp?: (listener: (violation: CspViolation) => void) => () => void;
}

const DEFAULT_BOOT_TIMEOUT_MS = 20_000;
const DEFAULT_SHELL_READY_TIMEOUT_MS = 60_000;
const RESTART_WORLD_TIMEOUT_MS = 90_000;
const RUN_CHECKS_TIMEOUT_MS = 240_000;
/** WebContainer runs Node 20 unless the mounted project asks for 22 (engines or .nvmrc). */
const NODE_OPT_IN = { 'package.json': JSON.stringify({ name: 'cloudpets-lab', private: true, engines: { node: '>=22.12.0' } }, null, 2) + '\n', '.nvmrc': '22\n' };
const WEBCONTAINER_HOSTS = /(^|\.|\/\/)(stackblitz\.com|staticblitz\.com|webcontainer-api\.io|webcontainer\.io)(\/|:|$)/;

// WebContainer allows one booted instance per page: share it between panels and retries.
let sharedBoot: Promise<WcInstance> | undefined;

/** For tests: forget the page-wide instance. */
export function forgetSharedWebContainer(): void {
  sharedBoot = undefined;
}

async function defaultLoadApi(): Promise<WcApi> {
  const module = await import('@webcontainer/api');
  return module.WebContainer as unknown as WcApi;
}

/**
 * `/labs/<id>.tree.json` names the shared runtime tree (`runtime-<content hash>.tree.json`,
 * the same for every lab, cached by the browser as immutable) and holds the lab's own small
 * tree. The runtime tree is fetched once per page; the two are merged and mounted as one.
 */
const runtimeTrees = new Map<string, Promise<JsonTree>>();

async function fetchJson(path: string, what: string): Promise<unknown> {
  const response = await fetch(path);
  if (!response.ok) throw new RuntimeError(`${what} is missing from this site (HTTP ${response.status}).`, 'Rebuild the site with `npm run build`.');
  return response.json();
}

async function defaultFetchTree(labId: string): Promise<unknown> {
  const lab = (await fetchJson(`/labs/${encodeURIComponent(labId)}.tree.json`, `The files of lab "${labId}"`)) as LabTreeFile;
  if (!/^runtime-[a-f0-9]{8,64}\.tree\.json$/.test(lab.runtime)) throw new RuntimeError(`The files of lab "${labId}" name no runtime tree.`, 'Rebuild the site with `npm run build`.');
  let runtime = runtimeTrees.get(lab.runtime);
  if (!runtime) {
    runtime = fetchJson(`/labs/${lab.runtime}`, 'The lab runtime') as Promise<JsonTree>;
    runtimeTrees.set(lab.runtime, runtime);
    runtime.catch(() => runtimeTrees.delete(lab.runtime));
  }
  return decodeTree(mergeTrees(await runtime, lab.tree));
}

/** What the build writes to `/labs/<id>.tree.json`. */
export interface LabTreeFile {
  /** File name (in /labs/) of the shared runtime tree. */
  runtime: string;
  tree: JsonTree;
}

/** The two trees as one (the lab's files win where both have a file). */
export function mergeTrees(base: JsonTree, over: JsonTree): JsonTree {
  const out: JsonTree = { ...base };
  for (const [name, node] of Object.entries(over)) {
    const under = out[name];
    out[name] = under && 'directory' in under && 'directory' in node ? { directory: mergeTrees(under.directory, node.directory) } : node;
  }
  return out;
}

function defaultWatchCsp(listener: (violation: CspViolation) => void): () => void {
  if (typeof document === 'undefined') return () => undefined;
  const handler = (event: SecurityPolicyViolationEvent) => listener({ blockedURI: event.blockedURI, violatedDirective: event.violatedDirective });
  document.addEventListener('securitypolicyviolation', handler);
  return () => document.removeEventListener('securitypolicyviolation', handler);
}

export type JsonTree = Record<string, { directory: JsonTree } | { file: { contents: string | { base64: string } } }>;
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
  /** What the browser check said (the panel shows `message` for "may work"). */
  support: BrowserSupport | undefined;

  constructor(options: WebContainerRuntimeOptions = {}) {
    this.options = {
      loadApi: options.loadApi ?? defaultLoadApi,
      fetchTree: options.fetchTree ?? defaultFetchTree,
      bootTimeoutMs: options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS,
      shellReadyTimeoutMs: options.shellReadyTimeoutMs ?? DEFAULT_SHELL_READY_TIMEOUT_MS,
      labsRoot: options.labsRoot ?? 'labs',
      checkBrowser: options.checkBrowser ?? checkThisBrowser,
      watchCsp: options.watchCsp ?? defaultWatchCsp,
    };
  }

  async boot(): Promise<void> {
    if (this.instance) return;
    this.support = this.options.checkBrowser();
    if (this.support.level === 'unsupported') throw new RuntimeError(this.support.message ?? 'This browser cannot run the in-browser lab.', RUN_LOCALLY_HELP);
    let blocked: CspViolation | undefined;
    let onBlocked: (() => void) | undefined;
    const unwatch = this.options.watchCsp((violation) => {
      if (!WEBCONTAINER_HOSTS.test(violation.blockedURI)) return;
      blocked = violation;
      onBlocked?.();
    });
    // A retry after a timeout waits on the same pending boot: calling boot() again while it is
    // pending throws "Only a single WebContainer instance can be booted".
    if (!sharedBoot) {
      const started = this.options.loadApi().then((api) => api.boot({ coep: 'require-corp', workdirName: 'cloudpets' }));
      sharedBoot = started;
      // A boot that failed may be tried again; one that is only slow may not.
      started.catch(() => {
        if (sharedBoot === started) sharedBoot = undefined;
      });
    }
    const boot = sharedBoot;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const giveUp = new Promise<never>((_, reject) => {
      const cspError = () =>
        new RuntimeError(
          `This site's Content-Security-Policy blocked WebContainer (${blocked!.violatedDirective} refused ${blocked!.blockedURI}), so the in-browser lab cannot start.`,
          `The site's operator must allow https://stackblitz.com, https://*.stackblitz.com, https://*.staticblitz.com and https://*.webcontainer-api.io (see src/server/security-headers.ts). ${RUN_LOCALLY_HELP}`,
        );
      onBlocked = () => reject(cspError());
      if (blocked) onBlocked();
      timer = setTimeout(() => {
        if (blocked) return reject(cspError());
        const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
        reject(
          new RuntimeError(
            offline
              ? 'The in-browser lab cannot start: this browser is offline, and the lab loads its runtime from stackblitz.com.'
              : `The in-browser lab did not start within ${Math.round(this.options.bootTimeoutMs / 1000)} seconds. It needs to reach stackblitz.com, which is not reachable from here (offline, or blocked by a firewall or a browser extension such as Brave Shields or a cookie blocker).`,
            RUN_LOCALLY_HELP,
          ),
        );
      }, this.options.bootTimeoutMs);
    });
    try {
      this.instance = await Promise.race([boot, giveUp]);
      await writeNodeOptIn(this.instance, '');
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      throw new RuntimeError(`The in-browser lab could not start: ${(error as Error).message}`, RUN_LOCALLY_HELP);
    } finally {
      clearTimeout(timer);
      unwatch();
    }
  }

  async mount(labId: string, options: MountOptions = {}): Promise<LabSession> {
    await this.boot();
    const instance = this.instance!;
    const tree = await this.options.fetchTree(labId);
    const root = `${this.options.labsRoot}/${labId}`;
    const session = new WebContainerLabSession(labId, instance, root, tree, options.seed, this.options.shellReadyTimeoutMs);
    await session.mountFresh();
    return session;
  }

  async teardown(): Promise<void> {
    // The instance stays booted for the page (boot once per page); only forget our handle.
    this.instance = undefined;
  }
}

/** Opts a folder of the container into Node 22 (the default is Node 20; the lab needs 22.12). */
async function writeNodeOptIn(instance: WcInstance, folder: string): Promise<void> {
  for (const [name, contents] of Object.entries(NODE_OPT_IN)) await instance.fs.writeFile(folder ? `${folder}/${name}` : name, contents);
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

/** The last line of a lab-control run that parses as JSON (its answer; anything else is noise). */
function lastJsonLine(output: string): unknown {
  const lines = output.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i]!);
    } catch {
      // not the answer
    }
  }
  return undefined;
}

class WebContainerLabSession implements LabSession {
  private readonly processes = new Set<WcProcess>();
  private readonly reportListeners = new Set<(report: CheckReport) => void>();
  private follower: WcProcess | undefined;

  constructor(
    readonly labId: string,
    private readonly instance: WcInstance,
    /** The lab folder, relative to the workdir. */
    private readonly root: string,
    private readonly tree: unknown,
    private readonly seed: number | undefined,
    private readonly readyTimeoutMs: number,
  ) {}

  private get absoluteRoot(): string {
    return `${this.instance.workdir.replace(/\/$/, '')}/${this.root}`;
  }

  /** The contract asks runtimes to pass little: the lab shell builds the lab environment itself. */
  private env(): Record<string, string> {
    return { TERM: 'xterm-256color', CLOUDPETS_LAB_DIR: this.absoluteRoot };
  }

  async mountFresh(): Promise<void> {
    await this.instance.fs.rm(this.root, { recursive: true, force: true });
    await this.instance.fs.mkdir(this.root, { recursive: true });
    await this.instance.mount(this.tree, { mountPoint: this.root });
    await writeNodeOptIn(this.instance, this.root);
    if (this.seed !== undefined) await this.writeSeed(this.seed);
  }

  private async writeSeed(seed: number): Promise<void> {
    const path = `${this.root}/.lab/lab.json`;
    let info: Record<string, unknown> = { id: this.labId };
    try {
      info = JSON.parse(new TextDecoder().decode(await this.instance.fs.readFile(path))) as Record<string, unknown>;
    } catch {
      // a lab without lab.json: write one
    }
    await this.instance.fs.mkdir(`${this.root}/.lab`, { recursive: true });
    await this.instance.fs.writeFile(path, JSON.stringify({ ...info, seed }, null, 2) + '\n');
  }

  private path(path: string): string {
    return `${this.root}/${normaliseLabPath(path)}`;
  }

  private track(process: WcProcess): void {
    this.processes.add(process);
    void process.exit.finally(() => this.processes.delete(process));
  }

  async openShell(size: TerminalSize): Promise<Shell> {
    const process = await this.instance.spawn('node', ['.lab/lab-shell.mjs'], { cwd: this.absoluteRoot, env: this.env(), terminal: size });
    this.track(process);
    const listeners = new Set<(data: string) => void>();
    // Output before the panel subscribes (the banner, the first prompt) is kept for it.
    let early = '';
    const deliver = (text: string) => {
      if (listeners.size === 0) early += text;
      else listeners.forEach((listener) => listener(text));
    };
    const detect = createReadyDetector();
    let ready: () => void = () => undefined;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    void pipeOutput(process, (data) => {
      const { text, ready: seen } = detect(data);
      if (text) deliver(text);
      if (seen) ready();
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      isReady.then(() => 'ready' as const),
      process.exit.then((code) => ({ exited: code })),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.readyTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      process.kill();
      throw new RuntimeError(`The lab shell did not get ready within ${Math.round(this.readyTimeoutMs / 1000)} seconds.`, 'Reset the lab, or reload the page.', TIMED_OUT_EXIT_CODE);
    }
    if (outcome === 'ready') this.followReports();
    // Input goes only to a ready shell; one that ended at once is handed over as ended (the
    // panel shows its last words and offers a new one).
    const writer = process.input.getWriter();
    return {
      onData: (listener) => {
        listeners.add(listener);
        if (early) {
          const replay = early;
          early = '';
          listener(replay);
        }
        return () => listeners.delete(listener);
      },
      write: (data) => void writer.write(data).catch(() => undefined),
      resize: (next) => process.resize(next),
      exit: process.exit,
      kill: () => process.kill(),
    };
  }

  /** `node .lab/lab-control.mjs follow-reports`: one JSON line per new report, for as long as the shell runs. */
  private followReports(): void {
    this.follower?.kill();
    void this.instance.spawn('node', ['.lab/lab-control.mjs', 'follow-reports'], { cwd: this.absoluteRoot, env: this.env() }).then((process) => {
      this.follower = process;
      this.track(process);
      let buffered = '';
      void pipeOutput(process, (data) => {
        buffered += data;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          const report = lastJsonLine(line) as CheckReport | undefined;
          if (report && Array.isArray(report.results)) this.reportListeners.forEach((listener) => listener(report));
        }
      });
    }, () => undefined);
  }

  /** Runs one lab operation through the lab-control CLI; its stdout's JSON line is the answer. */
  private async operation(op: string, timeoutMs: number): Promise<unknown> {
    const process = await this.instance.spawn('node', ['.lab/lab-control.mjs', op], { cwd: this.absoluteRoot, env: this.env() });
    this.track(process);
    let output = '';
    const collected = pipeOutput(process, (data) => (output += data));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT_EXIT_CODE), timeoutMs);
    });
    const exitCode = await Promise.race([process.exit, timedOut]);
    clearTimeout(timer);
    if (exitCode === TIMED_OUT_EXIT_CODE) {
      process.kill();
      throw new RuntimeError(`${op} did not finish within ${Math.round(timeoutMs / 1000)} s`, undefined, TIMED_OUT_EXIT_CODE);
    }
    await Promise.race([collected, new Promise((resolve) => setTimeout(resolve, 50))]);
    const answer = lastJsonLine(output) as { ok?: boolean; error?: string } | undefined;
    if (exitCode === 0 && answer !== undefined) return answer;
    if (exitCode === 3) throw new RuntimeError('No lab shell is running in this lab: press Enter in the terminal to start one.', undefined, 3);
    throw new RuntimeError(answer?.error ?? `${op} failed (exit code ${exitCode})`, undefined, exitCode);
  }

  async restartWorld(): Promise<WorldStatus> {
    const answer = (await this.operation('restart-world', RESTART_WORLD_TIMEOUT_MS)) as { world?: WorldStatus };
    return answer.world ?? (answer as WorldStatus);
  }

  async runChecks(): Promise<CheckReport> {
    const report = (await this.operation('run-checks', RUN_CHECKS_TIMEOUT_MS)) as CheckReport;
    if (!Array.isArray(report.results)) throw new RuntimeError('The checks answered with something that is not a report.');
    return report;
  }

  onReport(listener: (report: CheckReport) => void): () => void {
    this.reportListeners.add(listener);
    return () => this.reportListeners.delete(listener);
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

  /**
   * WebContainer's fs has no stat, so a file's size comes from reading it; the version is its
   * size plus a hash of its bytes (FNV-1a: tiny, and enough to tell "changed" from "same").
   */
  listOutputs(options: ListOutputsOptions = {}): Promise<LabOutput[]> {
    return collectOutputs(
      {
        entries: (dir) => this.instance.fs.readdir(`${this.root}/${dir}`, { withFileTypes: true }).catch(() => []),
        describe: async (path) => {
          const bytes = await this.instance.fs.readFile(`${this.root}/${path}`).catch(() => undefined);
          return bytes && { size: bytes.length, version: `${bytes.length}:${fnv1a(bytes).toString(16)}` };
        },
      },
      options,
    );
  }

  async reset(): Promise<void> {
    // The world is the lab shell's child: ending the shell ends it.
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
    this.follower = undefined;
  }

  async close(): Promise<void> {
    this.killAll();
  }
}

function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
