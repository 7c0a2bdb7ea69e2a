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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  FILE_CHUNK_BYTES,
  LAB_SOCKET_PATH,
  MAX_FILE_BYTES,
  MAX_MESSAGE_BYTES,
  TOKEN_META_NAME,
  decodeBase64,
  encodeBase64,
  joinChunks,
  type ClientMessage,
  type ServerMessage,
} from '../../runtimes/local/protocol.ts';
import { MAX_SEED } from '../../../sandboxes/world/dataset/seed.ts';
import { LabInstance } from './lab-instance.ts';
import { checkLabRequest } from './request-guard.ts';
import { reapOrphanedLabs, removeOrphanedLabFolders } from './process-reaper.ts';
import { parseClientMessage } from './client-message-schema.ts';
import { INPUT_QUEUE_LIMIT } from './pty-input.ts';
import { LabOperationError } from './lab-control-client.ts';

export interface LocalRunnerOptions {
  /** dist/labs: one built bundle folder per lab. */
  labsDir: string;
  /** The secret the access cookie (or `?token=`) must carry: `npm start` passes the site's; default 32 random bytes. */
  token?: string;
  /** Labs open at once (each is a lab shell plus a world); default 8. */
  maxLabs?: number;
  /** A lab with no message from its page for this long is closed; default 30 min. */
  idleMs?: number;
  /** Where lab folders are created; default the OS temp dir. */
  workRoot?: string;
  /**
   * Keep one fresh copy of the most recently opened labs ready (folder copied, lab shell and
   * world started), so the next page that opens one gets a prompt at once instead of waiting
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
/** A seed in the socket address (the learner's, from src/progress): a non-negative 32-bit integer. */
const SEED = /^\d{1,10}$/;
/** Above this many bytes queued for a page that does not read, its lab shell's output pauses. */
const OUTPUT_HIGH_WATER = 4 * 1024 * 1024;

/** An upload in progress: the chunks of one `write` id. */
interface Upload {
  path: string;
  chunks: Uint8Array[];
  bytes: number;
}

export function createLocalRunner(options: LocalRunnerOptions): LocalRunner {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const maxLabs = options.maxLabs ?? 8;
  const idleMs = options.idleMs ?? 30 * 60_000;
  const log = options.log ?? ((line: string) => console.log(`[local-runner] ${line}`));
  // maxPayload: a bigger frame closes that socket with 1009 (ws reports it as an error on the
  // socket, handled below); it never reaches our code.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('error', (error) => log(`websocket server: ${error.message}`));
  const labs = new Set<Promise<void>>();
  let open = 0;
  let closing = false;
  const prewarm = options.prewarm ?? true;
  const maxWarm = options.maxWarm ?? 2;
  const prewarmDelayMs = options.prewarmDelayMs ?? 1500;
  const workRoot = options.workRoot ?? tmpdir();
  /** labId -> a fresh lab nobody uses yet (insertion order = least recently used first). */
  const warm = new Map<string, Promise<LabInstance | undefined>>();
  const warmTimers = new Set<NodeJS.Timeout>();

  // Labs left behind by a runner that was killed outright (SIGKILL, a crash) still hold
  // processes, ports and folders; the next runner stops and removes them.
  void reapOrphanedLabs().then(
    (killed) => {
      if (killed > 0) log(`stopped ${killed} process(es) left by labs of an earlier run that did not shut down`);
      const removed = removeOrphanedLabFolders(workRoot);
      if (removed > 0) log(`removed ${removed} lab folder(s) left by an earlier run`);
    },
    () => undefined,
  );

  const createLab = (labId: string, seed: number | undefined, startShell: boolean) =>
    LabInstance.create({ labId, seed, startShell, bundleDir: join(options.labsDir, labId), workRoot });

  function scheduleWarm(labId: string, seed: number | undefined): void {
    if (!prewarm || closing) return;
    const key = `${labId}:${seed ?? ''}`;
    const timer = setTimeout(() => {
      warmTimers.delete(timer);
      if (closing || warm.has(key)) return;
      warm.set(key, createLab(labId, seed, true).catch(() => undefined));
      while (warm.size > maxWarm) {
        const [oldest, instance] = warm.entries().next().value as [string, Promise<LabInstance | undefined>];
        warm.delete(oldest);
        void instance.then((lab) => lab?.close()).catch(() => undefined);
      }
    }, prewarmDelayMs);
    warmTimers.add(timer);
  }

  async function takeLab(labId: string, seed: number | undefined): Promise<LabInstance> {
    const key = `${labId}:${seed ?? ''}`;
    const ready = warm.get(key);
    warm.delete(key);
    const lab = ready ? await ready : undefined;
    // A lab that was not pre-started starts its shell as soon as its folder is there, not when
    // the page asks for the terminal: the page spends that time building its terminal, and the
    // pre-started shell's first output waits for it (as a warm lab's does). A learner's seed
    // makes their lab their own, so a warm lab only fits a reload of the same learner's lab.
    return lab && !lab.isClosed ? lab : createLab(labId, seed, true);
  }

  function refuse(socket: Duplex, status: number, text: string): void {
    socket.on('error', () => undefined);
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
    const seedText = url.searchParams.get('seed');
    if (!LAB_ID.test(labId) || (seedText !== null && (!SEED.test(seedText) || Number(seedText) > MAX_SEED))) {
      refuse(socket, 400, 'Bad Request');
      return true;
    }
    const seed = seedText === null ? undefined : Number(seedText);
    if (closing) {
      refuse(socket, 503, 'Service Unavailable');
      return true;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const done = serveLab(ws, labId, seed).catch((error) => log(`lab ${labId}: ${(error as Error).message}`));
      labs.add(done);
      void done.finally(() => labs.delete(done));
    });
    return true;
  }

  async function serveLab(ws: WebSocket, labId: string, seed: number | undefined): Promise<void> {
    // A socket error (a frame over maxPayload, invalid UTF-8, a reset connection) is followed
    // by a close; without a listener, 'error' would throw and bring down `npm start`.
    ws.on('error', (error) => log(`lab ${labId}: connection error: ${error.message}`));
    const send = (message: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message), () => undefined);
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
      // Queue messages that arrive while the lab folder is being prepared (bounded: a page
      // that floods a lab still starting is cut off rather than buffered).
      const pending: ClientMessage[] = [];
      let handle: ((message: ClientMessage) => void) | undefined;
      ws.on('message', (raw, isBinary) => {
        touch();
        if (isBinary) {
          send({ type: 'error', error: 'the lab socket accepts JSON text messages only, not binary frames' });
          return;
        }
        const parsed = parseClientMessage(raw.toString());
        if (!parsed.ok) {
          if (parsed.id !== undefined) send({ type: 'result', id: parsed.id, ok: false, error: parsed.error });
          else send({ type: 'error', error: parsed.error });
          return;
        }
        if (handle) handle(parsed.message);
        else if (pending.length < 1000) pending.push(parsed.message);
        else ws.close(1008, 'too many messages before the lab was ready');
      });
      touch();
      try {
        lab = await takeLab(labId, seed);
        const running = lab;
        lab.attach({
          onOutput: (data) => {
            send({ type: 'output', data });
            // A page that does not read its socket must not make us buffer without end.
            if (ws.bufferedAmount > OUTPUT_HIGH_WATER) running.pauseOutput(() => ws.bufferedAmount < OUTPUT_HIGH_WATER / 4 || ws.readyState !== ws.OPEN);
          },
          onShellReady: () => send({ type: 'shell-ready' }),
          onShellExit: (exitCode) => send({ type: 'shell-exit', exitCode }),
          onReport: (report) => send({ type: 'report', report }),
        });
        scheduleWarm(labId, seed);
      } catch (error) {
        send({ type: 'fatal', error: (error as Error).message });
        ws.close(1011, 'lab failed to start');
        return;
      }
      if (ws.readyState !== ws.OPEN) return;
      const running = lab;
      const uploads = new Map<number, Upload>();
      handle = (message) => {
        dispatch(running, message, send, uploads).catch((error) => log(`lab ${labId}: ${(error as Error).message}`));
      };
      send({ type: 'ready', labId });
      for (const message of pending.splice(0)) handle(message);
      await closed;
    } finally {
      clearTimeout(idleTimer);
      release();
      await lab?.close();
    }
  }

  /** Handles one validated message. Never rejects with an error the page did not get. */
  async function dispatch(lab: LabInstance, message: ClientMessage, send: (message: ServerMessage) => void, uploads: Map<number, Upload>): Promise<void> {
    switch (message.type) {
      case 'open-shell':
        lab.openShell(message.cols, message.rows);
        return;
      case 'input':
        if (!lab.input(message.data)) {
          send({ type: 'error', error: `terminal input refused: more than ${INPUT_QUEUE_LIMIT / 1024} KiB is still waiting for the shell; paste less at once` });
        }
        return;
      case 'resize':
        lab.resize(message.cols, message.rows);
        return;
      case 'write': {
        // Chunks are collected synchronously, in the order they arrived; the file is written
        // once, when the last one is there.
        const upload = uploads.get(message.id) ?? { path: message.path, chunks: [], bytes: 0 };
        const bytes = decodeBase64(message.base64);
        if (upload.path !== message.path) {
          uploads.delete(message.id);
          send({ type: 'result', id: message.id, ok: false, error: `write ${message.id}: every chunk must name the same file` });
          return;
        }
        let inFlight = bytes.length;
        for (const other of uploads.values()) inFlight += other.bytes;
        if (upload.bytes + bytes.length > MAX_FILE_BYTES || inFlight > 2 * MAX_FILE_BYTES) {
          uploads.delete(message.id);
          send({ type: 'result', id: message.id, ok: false, error: `${message.path}: files over ${MAX_FILE_BYTES / 1024 / 1024} MiB cannot be saved` });
          return;
        }
        upload.chunks.push(bytes);
        upload.bytes += bytes.length;
        if (!message.last) {
          uploads.set(message.id, upload);
          return;
        }
        uploads.delete(message.id);
        await answer(message.id, send, async () => {
          await lab.writeFile(upload.path, joinChunks(upload.chunks));
          return null;
        });
        return;
      }
      case 'read':
        await answer(message.id, send, async () => {
          const bytes = await lab.readFile(message.path);
          for (let at = 0; at < bytes.length; at += FILE_CHUNK_BYTES) {
            send({ type: 'chunk', id: message.id, base64: encodeBase64(bytes.subarray(at, at + FILE_CHUNK_BYTES)) });
          }
          return { size: bytes.length };
        });
        return;
      case 'list-outputs':
        await answer(message.id, send, () => lab.listOutputs({ database: message.database === true }));
        return;
      case 'restart-world':
        await answer(message.id, send, () => lab.restartWorld());
        return;
      case 'run-checks':
        await answer(message.id, send, () => lab.runChecks());
        return;
      case 'reset':
        await answer(message.id, send, async () => {
          await lab.reset();
          return null;
        });
        return;
    }
  }

  async function answer(id: number, send: (message: ServerMessage) => void, work: () => Promise<unknown>): Promise<void> {
    try {
      send({ type: 'result', id, ok: true, value: await work() });
    } catch (error) {
      const exitCode = error instanceof LabOperationError ? error.exitCode : undefined;
      send({ type: 'result', id, ok: false, error: (error as Error).message, ...(exitCode !== undefined ? { exitCode } : {}) });
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

