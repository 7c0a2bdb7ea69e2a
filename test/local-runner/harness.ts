/**
 * A tiny site server for the local runner tests: serves one HTML page through the runner's
 * transform and hands WebSocket upgrades to it, as src/server/start.ts does.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { LAB_SOCKET_PATH, type ServerMessage } from '../../src/runtimes/local/protocol.ts';
import { createLocalRunner, type LocalRunner, type LocalRunnerOptions } from '../../src/server/local-runner/local-runner.ts';
import { accessCookieName } from '../../src/server/static/access-gate.ts';

/** The stand-in lab shell (speaks docs/lab-runtime-contract.md), until tests use a built lab. */
export const STAND_IN_LAB_SHELL = fileURLToPath(new URL('./stand-in-lab-shell.mjs', import.meta.url));

/** A trivial built lab: a starting file, lab.json, and the stand-in lab shell. */
export function makeTrivialLabs(): string {
  const labsDir = mkdtempSync(join(tmpdir(), 'cloudpets-test-labs-'));
  const lab = join(labsDir, 'trivial');
  mkdirSync(join(lab, '.lab'), { recursive: true });
  mkdirSync(join(lab, 'downloads'), { recursive: true });
  writeFileSync(join(lab, 'notes.txt'), 'starting notes\n');
  writeFileSync(join(lab, '.lab', 'lab.json'), JSON.stringify({ id: 'trivial', title: 'Trivial', createdAt: new Date(0).toISOString() }));
  copyFileSync(STAND_IN_LAB_SHELL, join(lab, '.lab', 'lab-shell.mjs'));
  return labsDir;
}

export interface Harness {
  server: Server;
  runner: LocalRunner;
  port: number;
  origin: string;
  /** The Cookie header a browser sends after opening the address with the secret (what pages' sockets carry). */
  cookie: string;
  /** Where this runner makes its lab folders (every lab process has its CLOUDPETS_LAB_DIR below it). */
  workRoot: string;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<LocalRunnerOptions> & { labsDir: string }): Promise<Harness> {
  const workRoot = realpathSync(mkdtempSync(join(tmpdir(), 'cloudpets-test-runs-')));
  const runner = createLocalRunner({ log: () => undefined, prewarm: false, workRoot, ...options });
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(runner.transformHtml('<!doctype html><html><head><title>t</title></head><body>lab</body></html>'));
  });
  server.on('upgrade', (request, socket, head) => {
    if (!runner.handleUpgrade(request, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    runner,
    port,
    origin: `http://127.0.0.1:${port}`,
    cookie: `${accessCookieName(port)}=${runner.token}`,
    workRoot,
    async close() {
      await runner.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(workRoot, { recursive: true, force: true });
    },
  };
}

/** A test's side of one lab socket: collects messages and answers requests (file chunks joined). */
export class LabClient {
  messages: ServerMessage[] = [];
  output = '';
  closeCode: number | undefined;
  private nextId = 1;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as ServerMessage;
      this.messages.push(message);
      if (message.type === 'output') this.output += message.data;
    });
    ws.on('close', (code) => (this.closeCode = code));
    ws.on('error', () => undefined);
  }
  send(message: object) {
    this.ws.send(JSON.stringify(message));
  }
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 45_000) {
    const start = Date.now();
    while (!predicate()) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; messages: ${JSON.stringify(this.messages.slice(-5)).slice(0, 2000)}; output so far:\n${this.output.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  async ready(): Promise<this> {
    await this.waitFor(() => this.messages.some((m) => m.type === 'ready'), 'ready');
    return this;
  }
  async request(message: object, id = this.nextId++): Promise<{ ok: boolean; value?: unknown; error?: string; exitCode?: number; bytes: Buffer }> {
    this.send({ ...message, id });
    let found: ServerMessage | undefined;
    await this.waitFor(() => (found = this.messages.find((m) => m.type === 'result' && m.id === id)) !== undefined, `result ${id}`);
    const chunks = this.messages.filter((m): m is Extract<ServerMessage, { type: 'chunk' }> => m.type === 'chunk' && m.id === id);
    return { ...(found as { ok: boolean; value?: unknown; error?: string; exitCode?: number }), bytes: Buffer.concat(chunks.map((chunk) => Buffer.from(chunk.base64, 'base64'))) };
  }
  async readText(path: string): Promise<string> {
    const answer = await this.request({ type: 'read', path });
    if (!answer.ok) throw new Error(answer.error);
    return answer.bytes.toString('utf8');
  }
  write(path: string, text: string | Buffer) {
    return this.request({ type: 'write', path, base64: Buffer.from(text).toString('base64'), last: true });
  }
  async openShell(cols = 80, rows = 24): Promise<void> {
    const before = this.messages.filter((m) => m.type === 'shell-ready').length;
    this.send({ type: 'open-shell', cols, rows });
    await this.waitFor(() => this.messages.filter((m) => m.type === 'shell-ready').length > before, 'the lab shell to be ready');
  }
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === this.ws.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** Opens a lab socket on a harness with the right headers and token. */
export function connectLab(harness: Harness, lab = 'trivial', query = ''): LabClient {
  const url = `ws://127.0.0.1:${harness.port}${LAB_SOCKET_PATH}?lab=${lab}&token=${harness.runner.token}${query}`;
  return new LabClient(new WebSocket(url, { origin: harness.origin }));
}

/** The folder of the one lab a harness has open (its work root holds one folder per lab). */
export function labFolders(harness: Harness): string[] {
  return readdirSync(harness.workRoot).flatMap((root) => readdirSync(join(harness.workRoot, root)).map((lab) => join(harness.workRoot, root, lab)));
}

/** The folder of the lab behind this client (found by a file only it has). */
export async function labFolderOf(client: LabClient, harness: Harness): Promise<string> {
  const name = `.whoami-${Math.random().toString(36).slice(2)}`;
  await client.write(name, 'me');
  const folder = labFolders(harness).find((dir) => existsSync(join(dir, name)));
  if (!folder) throw new Error('the lab folder of this client was not found');
  return folder;
}

/** Live processes whose working directory or lab variable is under one of these roots (zombies excluded). */
export function processesUnder(roots: string[]): { pid: number; cmd: string }[] {
  const found: { pid: number; cmd: string }[] = [];
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (/^[^)]*\) Z/.test(readFileSync(`/proc/${name}/stat`, 'utf8'))) continue;
      const environ = readFileSync(`/proc/${name}/environ`, 'latin1');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${name}/cwd`);
      } catch {
        // not ours
      }
      const labDir = /(?:^|\0)CLOUDPETS_LAB_DIR=([^\0]*)/.exec(environ)?.[1];
      const under = (path: string | undefined) => path !== undefined && roots.some((root) => path === root || path.startsWith(`${root}/`));
      if (under(labDir) || under(cwd)) {
        found.push({ pid: Number(name), cmd: readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
      }
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

/** Waits (generously: on two busy cores stopping processes takes seconds; a leak never ends) until none is left. */
export async function waitForNoProcessesUnder(roots: string[]): Promise<{ pid: number; cmd: string }[]> {
  const start = Date.now();
  let left = processesUnder(roots);
  while (left.length > 0 && Date.now() - start < 20_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = processesUnder(roots);
  }
  return left;
}
