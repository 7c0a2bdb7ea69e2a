/**
 * The local runner: `npm start` serves the site and, through this module, lets its pages
 * open labs on the learner's machine over a WebSocket (protocol in
 * src/runtimes/local/protocol.ts). The site server hands us WebSocket upgrades on
 * LAB_SOCKET_PATH and lets us mark the HTML it serves as "a local runner is here" (a flag, never
 * the secret: the socket is authenticated by the site's access cookie, see request-guard.ts).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  LAB_SOCKET_PATH,
  TOKEN_META_NAME,
  decodeBase64,
  encodeBase64,
  type ClientMessage,
  type ServerMessage,
} from '../../runtimes/local/protocol.ts';
import { LabInstance } from './lab-instance.ts';
import { checkLabRequest } from './request-guard.ts';
import { reapOrphanedLabs } from './process-reaper.ts';

export interface LocalRunnerOptions {
  /** dist/labs: one built bundle folder per lab. */
  labsDir: string;
  /** The secret the access cookie (or `?token=`) must carry: `npm start` passes the site's; default 32 random bytes. */
  token?: string;
  /** Labs open at once (each is a shell plus a world); default 8. */
  maxLabs?: number;
  /** A lab with no message from its page for this long is closed; default 30 min. */
  idleMs?: number;
  /** Where lab folders are created; default the OS temp dir. */
  workRoot?: string;
  /**
   * Keep one fresh copy of the most recently opened labs ready (folder copied, world
   * started), so the next page that opens one gets a prompt at once instead of waiting
   * seconds for the world. Default true; at most `maxWarm` (default 2) are kept.
   */
  prewarm?: boolean;
  maxWarm?: number;
  /** How long after a lab opens its replacement starts warming (it must not slow the lab down). */
  prewarmDelayMs?: number;
  log?: (line: string) => void;
}

export interface LocalRunner {
  readonly token: string;
  /** Returns true when the request was for the lab socket (handled or refused). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Adds the "local runner here" meta tag (no secret in it) to an HTML page. */
  transformHtml(html: string): string;
  /** Labs currently open. */
  readonly openLabs: number;
  close(): Promise<void>;
}

const LAB_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function createLocalRunner(options: LocalRunnerOptions): LocalRunner {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const maxLabs = options.maxLabs ?? 8;
  const idleMs = options.idleMs ?? 30 * 60_000;
  const log = options.log ?? ((line: string) => console.log(`[local-runner] ${line}`));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const labs = new Set<Promise<void>>();
  let open = 0;
  let closing = false;
  const prewarm = options.prewarm ?? true;
  const maxWarm = options.maxWarm ?? 2;
  const prewarmDelayMs = options.prewarmDelayMs ?? 1500;
  /** labId -> a fresh lab nobody uses yet (insertion order = least recently used first). */
  const warm = new Map<string, Promise<LabInstance | undefined>>();
  const warmTimers = new Set<NodeJS.Timeout>();

  // Labs left behind by a runner that was killed outright (SIGKILL, a crash) still hold
  // processes and ports; the next runner stops them.
  void reapOrphanedLabs().then(
    (killed) => killed > 0 && log(`stopped ${killed} process(es) left by labs of an earlier run that did not shut down`),
    () => undefined,
  );

  const createLab = (labId: string) => LabInstance.create({ labId, bundleDir: join(options.labsDir, labId), workRoot: options.workRoot });

  function scheduleWarm(labId: string): void {
    if (!prewarm || closing) return;
    const timer = setTimeout(() => {
      warmTimers.delete(timer);
      if (closing || warm.has(labId)) return;
      warm.set(labId, createLab(labId).catch(() => undefined));
      while (warm.size > maxWarm) {
        const [oldest, instance] = warm.entries().next().value as [string, Promise<LabInstance | undefined>];
        warm.delete(oldest);
        void instance.then((lab) => lab?.close());
      }
    }, prewarmDelayMs);
    warmTimers.add(timer);
  }

  async function takeLab(labId: string): Promise<LabInstance> {
    const ready = warm.get(labId);
    warm.delete(labId);
    const lab = ready ? await ready : undefined;
    return lab && !lab.isClosed ? lab : createLab(labId);
  }

  function refuse(socket: Duplex, status: number, text: string): void {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== LAB_SOCKET_PATH) return false;
    const verdict = checkLabRequest(request, token, url);
    if (!verdict.ok) {
      log(`refused a lab connection: ${verdict.reason}`);
      refuse(socket, 403, 'Forbidden');
      return true;
    }
    const labId = url.searchParams.get('lab') ?? '';
    if (!LAB_ID.test(labId)) {
      refuse(socket, 400, 'Bad Request');
      return true;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const done = serveLab(ws, labId).catch((error) => log(`lab ${labId}: ${(error as Error).message}`));
      labs.add(done);
      void done.finally(() => labs.delete(done));
    });
    return true;
  }

  async function serveLab(ws: WebSocket, labId: string): Promise<void> {
    const send = (message: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    if (open >= maxLabs) {
      send({ type: 'fatal', error: `${maxLabs} labs are already open on this machine; close another lab tab and try again` });
      ws.close(1013, 'too many labs');
      return;
    }
    // The cap counts connected pages. A lab whose page has gone is released at once, while its
    // processes are still being stopped: a learner who closes a tab and opens another right away
    // must not be told that too many labs are open.
    open++;
    let counted = true;
    const release = (): void => {
      if (!counted) return;
      counted = false;
      open--;
    };
    let lab: LabInstance | undefined;
    let idleTimer: NodeJS.Timeout | undefined;
    const closed = new Promise<void>((resolve) =>
      ws.once('close', () => {
        release();
        resolve();
      }),
    );
    const touch = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        log(`lab ${labId}: idle for ${Math.round(idleMs / 1000)} s, closing it`);
        ws.close(1000, 'idle');
      }, idleMs);
    };
    try {
      // Queue messages that arrive while the lab folder is being prepared.
      const pending: ClientMessage[] = [];
      let handle: ((message: ClientMessage) => void) | undefined;
      ws.on('message', (raw) => {
        touch();
        let message: ClientMessage;
        try {
          message = JSON.parse(String(raw)) as ClientMessage;
        } catch {
          send({ type: 'fatal', error: 'the lab socket only accepts JSON messages' });
          return;
        }
        if (handle) handle(message);
        else pending.push(message);
      });
      touch();
      try {
        lab = await takeLab(labId);
        lab.attach({
          onOutput: (data) => send({ type: 'output', data }),
          onShellExit: (exitCode) => send({ type: 'shell-exit', exitCode }),
        });
        scheduleWarm(labId);
      } catch (error) {
        send({ type: 'fatal', error: (error as Error).message });
        ws.close(1011, 'lab failed to start');
        return;
      }
      if (ws.readyState !== ws.OPEN) return;
      const running = lab;
      handle = (message) => void dispatch(running, message, send);
      send({ type: 'ready', labId });
      for (const message of pending.splice(0)) handle(message);
      await closed;
    } finally {
      clearTimeout(idleTimer);
      release();
      await lab?.close();
    }
  }

  async function dispatch(lab: LabInstance, message: ClientMessage, send: (message: ServerMessage) => void): Promise<void> {
    switch (message.type) {
      case 'open-shell':
        lab.openShell(message.cols, message.rows);
        return;
      case 'input':
        if (typeof message.data === 'string') lab.input(message.data);
        return;
      case 'resize':
        lab.resize(message.cols, message.rows);
        return;
    }
    const id = (message as { id?: unknown }).id;
    if (typeof id !== 'number') {
      send({ type: 'fatal', error: `message "${String((message as { type?: unknown }).type)}" needs a numeric id` });
      return;
    }
    try {
      const value = await request(lab, message);
      send({ type: 'result', id, ok: true, value });
    } catch (error) {
      send({ type: 'result', id, ok: false, error: (error as Error).message });
    }
  }

  async function request(lab: LabInstance, message: ClientMessage): Promise<unknown> {
    switch (message.type) {
      case 'read':
        return encodeBase64(await lab.readFile(message.path));
      case 'write':
        if (typeof message.base64 !== 'string') throw new Error('write needs "base64" contents');
        await lab.writeFile(message.path, decodeBase64(message.base64));
        return null;
      case 'readdir':
        return lab.readdir(message.path);
      case 'exec':
        if (typeof message.command !== 'string' || !Array.isArray(message.args)) throw new Error('exec needs "command" and "args"');
        return lab.exec(message.command, message.args.map(String), message.cwd, message.timeoutMs);
      case 'reset':
        await lab.reset();
        return null;
      default:
        throw new Error(`unknown message type "${String((message as { type?: unknown }).type)}"`);
    }
  }

  return {
    token,
    handleUpgrade,
    transformHtml(html: string): string {
      const tag = `<meta name="${TOKEN_META_NAME}" content="present">`;
      return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => `${head}${tag}`) : tag + html;
    },
    get openLabs() {
      return open;
    },
    async close() {
      closing = true;
      for (const timer of warmTimers) clearTimeout(timer);
      for (const client of wss.clients) client.terminate();
      await Promise.allSettled([...labs]);
      await Promise.allSettled([...warm.values()].map(async (ready) => (await ready)?.close()));
      warm.clear();
      wss.close();
    },
  };
}
