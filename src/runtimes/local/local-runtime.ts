/**
 * The browser side of the local runner: one WebSocket per lab to the `npm start` server
 * that served this page (protocol in ./protocol.ts). The server marks its pages with a meta tag
 * (a flag, no secret); the socket is authenticated by the HttpOnly access cookie the browser
 * got when the learner opened the address `npm start` printed, so no script can read it.
 */
import {
  type DirEntry,
  type ExecOptions,
  type ExecResult,
  type LabSession,
  type Runtime,
  type Shell,
  type TerminalSize,
  RuntimeError,
  normaliseLabPath,
} from '../runtime.ts';
import {
  LAB_SOCKET_PATH,
  TOKEN_META_NAME,
  decodeBase64,
  encodeBase64,
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

  async mount(labId: string): Promise<LabSession> {
    await this.boot();
    const url = new URL(LAB_SOCKET_PATH, this.origin.replace(/^http/, 'ws'));
    url.searchParams.set('lab', labId);
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
}

class LocalLabSession implements LabSession {
  readonly ready: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly outputListeners = new Set<(data: string) => void>();
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
    if (message.type === 'output') for (const listener of this.outputListeners) listener(message.data);
    else if (message.type === 'shell-exit') this.shellExit?.(message.exitCode);
    else if (message.type === 'result') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(new RuntimeError(message.error));
    }
  }

  private send(message: ClientMessage): void {
    if (this.socket.readyState !== WebSocket.OPEN) {
      throw new RuntimeError('The lab is not connected any more.', 'Reload the page to start it again.');
    }
    this.socket.send(JSON.stringify(message));
  }

  private request<T>(message: DistributiveOmit<Extract<ClientMessage, { id: number }>, 'id'>): Promise<T> {
    const id = this.nextId++;
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
    this.send({ type: 'open-shell', cols: size.cols, rows: size.rows });
    return {
      onData: (listener) => {
        this.outputListeners.add(listener);
        return () => this.outputListeners.delete(listener);
      },
      write: (data) => this.send({ type: 'input', data }),
      resize: ({ cols, rows }) => {
        if (this.socket.readyState === WebSocket.OPEN) this.send({ type: 'resize', cols, rows });
      },
      exit,
      kill: () => {
        if (this.socket.readyState === WebSocket.OPEN) this.send({ type: 'input', data: '\x04' });
      },
    };
  }

  async readFile(path: string): Promise<Uint8Array> {
    return decodeBase64(await this.request<string>({ type: 'read', path: normaliseLabPath(path) }));
  }

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    await this.request({ type: 'write', path: normaliseLabPath(path), base64: encodeBase64(bytes) });
  }

  async readdir(path: string): Promise<DirEntry[]> {
    return this.request<DirEntry[]>({ type: 'readdir', path });
  }

  async exec(command: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return this.request<ExecResult>({ type: 'exec', command, args, cwd: options.cwd, timeoutMs: options.timeoutMs });
  }

  async reset(): Promise<void> {
    this.outputListeners.clear();
    await this.request({ type: 'reset' });
  }

  async close(): Promise<void> {
    this.socket.close();
  }
}
