/**
 * The browser side of the local runner: one WebSocket per lab to the `npm start` server
 * that served this page (protocol in ./protocol.ts). The server marks its pages with a meta tag
 * (a flag, no secret); the socket is authenticated by the HttpOnly access cookie the browser
 * got when the learner opened the address `npm start` printed, so no script can read it.
 */
import {
  type CheckReport,
  type LabOutput,
  type LabSession,
  type ListOutputsOptions,
  type MountOptions,
  type Runtime,
  type Shell,
  type TerminalSize,
  type WorldStatus,
  RuntimeError,
  normaliseLabPath,
} from '../runtime.ts';
import {
  FILE_CHUNK_BYTES,
  INPUT_CHUNK_CHARS,
  LAB_SOCKET_PATH,
  TOKEN_META_NAME,
  decodeBase64,
  encodeBase64,
  joinChunks,
  type ClientMessage,
  type ServerMessage,
} from './protocol.ts';

export function servedByLocalRunner(doc: Document = document): boolean {
  return doc.querySelector(`meta[name="${TOKEN_META_NAME}"]`) !== null;
}

type WebSocketFactory = (url: string) => WebSocket;

export interface LocalRuntimeOptions {
  /** Whether `npm start` served this page; default: its meta tag is present. */
  present?: boolean;
  /** Page origin, e.g. http://127.0.0.1:4321 */
  origin?: string;
  createSocket?: WebSocketFactory;
}

export class LocalRuntime implements Runtime {
  readonly kind = 'local' as const;
  readonly label = 'Local runner (npm start)';
  private readonly present: boolean;
  private readonly origin: string;
  private readonly createSocket: WebSocketFactory;
  private readonly sessions = new Set<LocalLabSession>();

  constructor(options: LocalRuntimeOptions = {}) {
    this.present = options.present ?? servedByLocalRunner();
    this.origin = options.origin ?? location.origin;
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
  }

  async boot(): Promise<void> {
    if (!this.present) {
      throw new RuntimeError(
        'This page was not served by the local runner, so it cannot open a local lab.',
        'Start it with `npm start` and open the address it prints, or remove ?runtime=local from the address.',
      );
    }
  }

  async mount(labId: string, options: MountOptions = {}): Promise<LabSession> {
    await this.boot();
    const url = new URL(LAB_SOCKET_PATH, this.origin.replace(/^http/, 'ws'));
    url.searchParams.set('lab', labId);
    if (options.seed !== undefined) url.searchParams.set('seed', String(options.seed >>> 0));
    const session = new LocalLabSession(labId, this.createSocket(url.toString()));
    await session.ready;
    this.sessions.add(session);
    return session;
  }

  async teardown(): Promise<void> {
    await Promise.all([...this.sessions].map((session) => session.close()));
    this.sessions.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** Chunks of a file being read. */
  chunks?: Uint8Array[];
}

class LocalLabSession implements LabSession {
  readonly ready: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly outputListeners = new Set<(data: string) => void>();
  private earlyOutput = '';
  private readonly reportListeners = new Set<(report: CheckReport) => void>();
  private shellReady: (() => void) | undefined;
  private shellExit: ((code: number) => void) | undefined;
  private failure: RuntimeError | undefined;

  constructor(
    readonly labId: string,
    private readonly socket: WebSocket,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      socket.addEventListener('message', (event) => {
        let message: ServerMessage;
        try {
          message = JSON.parse(String(event.data)) as ServerMessage;
        } catch {
          return;
        }
        if (!message || typeof message !== 'object') return;
        if (message.type === 'ready') resolve();
        else if (message.type === 'fatal') {
          this.failure = new RuntimeError(message.error);
          reject(this.failure);
        } else this.receive(message);
      });
      socket.addEventListener('close', () => {
        const error =
          this.failure ??
          new RuntimeError(
            'The connection to the local runner closed.',
            'Is `npm start` still running? Restart it and reload this page.',
          );
        reject(error);
        for (const pending of this.pending.values()) pending.reject(error);
        this.pending.clear();
        this.shellExit?.(-1);
      });
    });
    this.ready.catch(() => undefined);
  }

  private receive(message: ServerMessage): void {
    switch (message.type) {
      case 'output':
        // Output before the panel subscribes (the banner, the first prompt) is kept for it.
        if (this.outputListeners.size === 0) this.earlyOutput += message.data;
        else for (const listener of this.outputListeners) listener(message.data);
        return;
      case 'shell-ready':
        this.shellReady?.();
        return;
      case 'shell-exit':
        this.shellExit?.(message.exitCode);
        return;
      case 'report':
        for (const listener of this.reportListeners) listener(message.report as CheckReport);
        return;
      case 'error':
        console.warn(`[local runner] ${message.error}`);
        return;
      case 'chunk': {
        const pending = this.pending.get(message.id);
        if (pending) (pending.chunks ??= []).push(decodeBase64(message.base64));
        return;
      }
      case 'result': {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        if (message.ok) pending.resolve(pending.chunks ? joinChunks(pending.chunks) : message.value);
        else pending.reject(new RuntimeError(message.error, undefined, message.exitCode));
        return;
      }
    }
  }

  private send(message: ClientMessage): void {
    if (this.socket.readyState !== WebSocket.OPEN) {
      throw new RuntimeError('The lab is not connected any more.', 'Reload the page to start it again.');
    }
    this.socket.send(JSON.stringify(message));
  }

  private request<T>(message: DistributiveOmit<Extract<ClientMessage, { id: number }>, 'id'>, id = this.nextId++): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        this.send({ ...message, id } as ClientMessage);
      } catch (error) {
        this.pending.delete(id);
        reject(error as Error);
      }
    });
  }

  async openShell(size: TerminalSize): Promise<Shell> {
    const exit = new Promise<number>((resolve) => (this.shellExit = resolve));
    const ready = new Promise<void>((resolve) => (this.shellReady = resolve));
    this.send({ type: 'open-shell', cols: size.cols, rows: size.rows });
    // Input waits for the lab shell's ready signal; a shell that ends first resolves too
    // (the panel then shows that it ended).
    await Promise.race([ready, exit]);
    return {
      onData: (listener) => {
        this.outputListeners.add(listener);
        if (this.earlyOutput) {
          const replay = this.earlyOutput;
          this.earlyOutput = '';
          listener(replay);
        }
        return () => this.outputListeners.delete(listener);
      },
      write: (data) => {
        // A big paste goes in pieces the runner accepts (INPUT_CHUNK_CHARS each).
        for (let at = 0; at < data.length; at += INPUT_CHUNK_CHARS) this.send({ type: 'input', data: data.slice(at, at + INPUT_CHUNK_CHARS) });
      },
      resize: ({ cols, rows }) => {
        if (this.socket.readyState === WebSocket.OPEN) this.send({ type: 'resize', cols, rows });
      },
      exit,
      kill: () => {
        if (this.socket.readyState === WebSocket.OPEN) this.send({ type: 'input', data: '\x04' });
      },
    };
  }

  restartWorld(): Promise<WorldStatus> {
    return this.request<WorldStatus>({ type: 'restart-world' });
  }

  runChecks(): Promise<CheckReport> {
    return this.request<CheckReport>({ type: 'run-checks' });
  }

  onReport(listener: (report: CheckReport) => void): () => void {
    this.reportListeners.add(listener);
    return () => this.reportListeners.delete(listener);
  }

  async readFile(path: string): Promise<Uint8Array> {
    const id = this.nextId++;
    const value = await this.request<Uint8Array | { size: number }>({ type: 'read', path: normaliseLabPath(path) }, id);
    return value instanceof Uint8Array ? value : new Uint8Array(0);
  }

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const target = normaliseLabPath(path);
    const id = this.nextId++;
    // Every chunk but the last gets no answer; the last one's answer covers the whole file.
    for (let at = 0; at + FILE_CHUNK_BYTES < bytes.length; at += FILE_CHUNK_BYTES) {
      this.send({ type: 'write', id, path: target, base64: encodeBase64(bytes.subarray(at, at + FILE_CHUNK_BYTES)), last: false });
    }
    const lastAt = bytes.length === 0 ? 0 : Math.floor((bytes.length - 1) / FILE_CHUNK_BYTES) * FILE_CHUNK_BYTES;
    await this.request({ type: 'write', path: target, base64: encodeBase64(bytes.subarray(lastAt)), last: true }, id);
  }

  listOutputs(options: ListOutputsOptions = {}): Promise<LabOutput[]> {
    return this.request<LabOutput[]>({ type: 'list-outputs', ...(options.database ? { database: true } : {}) });
  }

  async reset(): Promise<void> {
    this.outputListeners.clear();
    this.earlyOutput = '';
    await this.request({ type: 'reset' });
  }

  async close(): Promise<void> {
    this.socket.close();
  }
}

