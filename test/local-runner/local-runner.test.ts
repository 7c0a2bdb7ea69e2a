import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LAB_SOCKET_PATH, decodeBase64, type ServerMessage } from '../../src/runtimes/local/protocol.ts';
import { LAB_MARKER_VARIABLE } from '../../src/server/local-runner/process-reaper.ts';
import { type Harness, makeTrivialLabs, startHarness as startAnyHarness } from './harness.ts';

async function startHarness(...args: Parameters<typeof startAnyHarness>): Promise<Harness> {
  const harness = await startAnyHarness(...args);
  workRoots.push(harness.workRoot);
  return harness;
}

let labsDir: string;
let harness: Harness;

beforeAll(async () => {
  labsDir = makeTrivialLabs();
  harness = await startHarness({ labsDir, maxLabs: 3 });
});
afterAll(async () => {
  await harness.close();
  rmSync(labsDir, { recursive: true, force: true });
});

interface Attempt {
  host?: string;
  origin?: string | null;
  token?: string | null;
  lab?: string;
}

/** Opens a lab socket with the given request headers; resolves to the HTTP status or "open". */
function attempt({ host, origin, token, lab = 'trivial' }: Attempt): Promise<{ status: number | 'open'; ws?: WebSocket; client?: Client }> {
  const url = new URL(LAB_SOCKET_PATH, `ws://127.0.0.1:${harness.port}`);
  url.searchParams.set('lab', lab);
  if (token !== null) url.searchParams.set('token', token ?? harness.runner.token);
  const headers: Record<string, string> = {};
  if (host) headers.host = host;
  const ws = new WebSocket(url, { headers, origin: origin === null ? undefined : (origin ?? harness.origin) });
  const client = new Client(ws);
  return new Promise((resolve) => {
    ws.on('open', () => resolve({ status: 'open', ws, client }));
    ws.on('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0 }));
    ws.on('error', () => resolve({ status: 0 }));
  });
}

class Client {
  messages: ServerMessage[] = [];
  output = '';
  private nextId = 1;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as ServerMessage;
      this.messages.push(message);
      if (message.type === 'output') this.output += message.data;
    });
  }
  send(message: object) {
    this.ws.send(JSON.stringify(message));
  }
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 45_000) {
    const start = Date.now();
    while (!predicate()) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; messages: ${JSON.stringify(this.messages.slice(-5))}; output so far:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  async request(message: object): Promise<{ ok: boolean; value?: unknown; error?: string }> {
    const id = this.nextId++;
    this.send({ ...message, id });
    let found: ServerMessage | undefined;
    await this.waitFor(() => (found = this.messages.find((m) => m.type === 'result' && m.id === id)) !== undefined, `result ${id}`);
    return found as { ok: boolean; value?: unknown; error?: string };
  }
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

async function openLab(): Promise<Client> {
  const result = await attempt({});
  expect(result.status).toBe('open');
  const client = result.client!;
  await client.waitFor(() => client.messages.some((m) => m.type === 'ready'), 'ready');
  return client;
}

/**
 * Live processes started by this file's labs: they carry the marker variable and a lab
 * folder under one of our runners' work roots (other suites may run labs at the same time).
 */
const workRoots: string[] = [];
function labProcesses(marker = LAB_MARKER_VARIABLE): number[] {
  return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((pid) => {
        try {
          const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
          return environ.includes(`${marker}=`) && workRoots.some((root) => environ.includes(`CLOUDPETS_LAB_DIR=${root}/`)) &&
            !/^[^)]*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        } catch {
          return false;
        }
      })
      .map(Number);
}

async function waitForNoProcesses(): Promise<number[]> {
  const start = Date.now();
  let ours: number[] = [];
  do {
    ours = labProcesses();
    if (ours.length === 0) return ours;
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Generous: on two busy cores stopping a lab's processes can take seconds; a leak never ends.
  } while (Date.now() - start < 20_000);
  return ours;
}

describe('local runner: who may connect', () => {
  it('accepts the page it served (loopback Host, own Origin, right token)', async () => {
    const result = await attempt({});
    expect(result.status).toBe('open');
    result.ws!.close();
  });

  it('refuses a WebSocket from another Origin', async () => {
    expect((await attempt({ origin: 'http://evil.example.com' })).status).toBe(403);
    expect((await attempt({ origin: `http://127.0.0.1:${harness.port + 1}` })).status).toBe(403);
    expect((await attempt({ origin: null })).status).toBe(403);
  });

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    const host = `rebind.example.com:${harness.port}`;
    expect((await attempt({ host, origin: `http://${host}` })).status).toBe(403);
    expect((await attempt({ host: `192.168.1.5:${harness.port}`, origin: `http://192.168.1.5:${harness.port}` })).status).toBe(403);
  });

  it('refuses a missing or wrong token', async () => {
    expect((await attempt({ token: null })).status).toBe(403);
    expect((await attempt({ token: 'not-the-token' })).status).toBe(403);
    expect((await attempt({ token: harness.runner.token.slice(0, -1) + 'x' })).status).toBe(403);
  });

  it('marks served HTML as served by the runner, without the secret in it', async () => {
    const html = await (await fetch(harness.origin)).text();
    expect(html).toContain('<meta name="cloudpets-local-runner" content="present">');
    expect(html).not.toContain(harness.runner.token);
  });

  it('accepts the access cookie instead of the secret in the address (what pages send)', async () => {
    const url = `ws://127.0.0.1:${harness.port}${LAB_SOCKET_PATH}?lab=trivial`;
    const withCookie = new WebSocket(url, { origin: harness.origin, headers: { cookie: harness.cookie } });
    await new Promise<void>((resolve, reject) => {
      withCookie.on('open', () => resolve());
      withCookie.on('unexpected-response', (_request, response) => reject(new Error(`status ${response.statusCode}`)));
    });
    withCookie.close();
    expect((await attempt({ token: null })).status).toBe(403);
  });

  it('listens on loopback only', async () => {
    const address = harness.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
  });
});

describe('local runner: a lab', () => {
  it('gives a shell in the lab folder with the lab tools on PATH', async () => {
    const client = await openLab();
    client.send({ type: 'open-shell', cols: 100, rows: 30 });
    await client.waitFor(() => client.output.includes('$ '), 'prompt');
    client.send({ type: 'input', data: 'hello; cat notes.txt; tput cols\r' });
    await client.waitFor(() => client.output.includes('hello from the lab: trivial') && client.output.includes('starting notes'), 'hello output');
    await client.waitFor(() => /\b100\b/.test(client.output), 'tput cols');
    client.send({ type: 'resize', cols: 120, rows: 30 });
    client.send({ type: 'input', data: 'tput cols\r' });
    await client.waitFor(() => /\b120\b/.test(client.output), 'resized tput cols');
    await client.close();
  });

  it('reads, writes and lists files, and refuses paths outside the lab', async () => {
    const client = await openLab();
    const write = await client.request({ type: 'write', path: 'sub/new.txt', base64: Buffer.from('edited').toString('base64') });
    expect(write.ok).toBe(true);
    const read = await client.request({ type: 'read', path: 'sub/new.txt' });
    expect(new TextDecoder().decode(decodeBase64(read.value as string))).toBe('edited');
    const list = await client.request({ type: 'readdir', path: '.' });
    expect(list.value).toEqual(expect.arrayContaining([{ name: 'notes.txt', kind: 'file', version: expect.stringMatching(/^\d+:[\d.]+$/) }, { name: 'sub', kind: 'directory' }]));
    const escape = await client.request({ type: 'read', path: '../../../etc/passwd' });
    expect(escape.ok).toBe(false);
    expect(escape.error).toMatch(/leaves the lab folder/);
    const missing = await client.request({ type: 'read', path: 'nope.txt' });
    expect(missing).toMatchObject({ ok: false, error: expect.stringMatching(/no such file/) });
    // A symlink planted by the learner must not lead out either.
    await client.request({ type: 'exec', command: 'ln', args: ['-s', '/etc', 'out'] });
    const viaLink = await client.request({ type: 'read', path: 'out/passwd' });
    expect(viaLink).toMatchObject({ ok: false, error: expect.stringMatching(/outside the lab/) });
    await client.close();
  });

  it('runs a command and returns its output and exit code', async () => {
    const client = await openLab();
    const ok = await client.request({ type: 'exec', command: 'hello', args: [] });
    expect(ok.value).toEqual({ output: 'hello from the lab: trivial\n', exitCode: 0 });
    const failing = await client.request({ type: 'exec', command: 'sh', args: ['-c', 'echo oops >&2; exit 3'] });
    expect(failing.value).toEqual({ output: 'oops\n', exitCode: 3 });
    const missing = await client.request({ type: 'exec', command: 'no-such-tool', args: [] });
    expect((missing.value as { exitCode: number }).exitCode).toBe(127);
    await client.close();
  });

  it('reset restores the starting files', async () => {
    const client = await openLab();
    await client.request({ type: 'write', path: 'notes.txt', base64: Buffer.from('changed').toString('base64') });
    expect((await client.request({ type: 'reset' })).ok).toBe(true);
    const read = await client.request({ type: 'read', path: 'notes.txt' });
    expect(Buffer.from(read.value as string, 'base64').toString()).toBe('starting notes\n');
    await client.close();
  });

  it('answers malformed messages with a clear error and keeps working', async () => {
    const client = await openLab();
    client.ws.send('not json');
    await client.waitFor(() => client.messages.some((m) => m.type === 'fatal'), 'fatal');
    const bad = await client.request({ type: 'exec', command: 5 });
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/needs "command"/) });
    const good = await client.request({ type: 'exec', command: 'true', args: [] });
    expect(good.ok).toBe(true);
    await client.close();
  });

  it('caps labs per server', async () => {
    const clients = [await openLab(), await openLab(), await openLab()];
    const fourth = await attempt({});
    expect(fourth.status).toBe('open');
    const messages = fourth.client!.messages;
    const code = await new Promise<number>((resolve) => fourth.ws!.on('close', (c) => resolve(c)));
    expect(code).toBe(1013);
    expect(messages[0]).toMatchObject({ type: 'fatal', error: expect.stringMatching(/already open/) });
    await Promise.all(clients.map((client) => client.close()));
    await clients[0]!.waitFor(() => harness.runner.openLabs === 0, 'labs to close on the server');
  });

  it('kills every process of a lab when its socket closes, even ones that escaped the process group', async () => {
    const client = await openLab();
    client.send({ type: 'open-shell', cols: 80, rows: 24 });
    await client.waitFor(() => client.output.includes('$ '), 'prompt');
    client.send({ type: 'input', data: 'sleep 1000 & setsid sleep 1001 & (trap "" HUP; nohup sleep 1002 >/dev/null 2>&1 &) ; echo started\r' });
    await client.waitFor(() => client.output.includes('started\r\n'), 'background jobs');
    await client.request({ type: 'exec', command: 'sh', args: ['-c', 'setsid sleep 1003 >/dev/null 2>&1 < /dev/null &'] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(labProcesses().length).toBeGreaterThanOrEqual(5); // bash + 4 sleeps are running now
    await client.close();
    expect(await waitForNoProcesses()).toEqual([]);
  });

  it('closes an idle lab and kills its processes', async () => {
    const idle = await startHarness({ labsDir, idleMs: 300 });
    try {
      const url = `ws://127.0.0.1:${idle.port}${LAB_SOCKET_PATH}?lab=trivial&token=${idle.runner.token}`;
      const ws = new WebSocket(url, { origin: idle.origin });
      const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
      expect(code).toBe(1000);
      expect(await waitForNoProcesses()).toEqual([]);
    } finally {
      await idle.close();
    }
  });

  it('leaves no process behind after 50 labs opened and closed (with pre-started labs too)', async () => {
    const busy = await startHarness({ labsDir, prewarm: true, prewarmDelayMs: 0, maxWarm: 2, maxLabs: 3 });
    const open = async () => {
      const url = `ws://127.0.0.1:${busy.port}${LAB_SOCKET_PATH}?lab=trivial&token=${busy.runner.token}`;
      const client = new Client(new WebSocket(url, { origin: busy.origin }));
      await client.waitFor(() => client.messages.some((m) => m.type === 'ready'), 'ready');
      return client;
    };
    try {
      for (let i = 0; i < 50; i++) {
        const client = await open();
        client.send({ type: 'open-shell', cols: 80, rows: 24 });
        client.send({ type: 'input', data: 'sleep 500 & setsid sleep 501 &\r' });
        await client.waitFor(() => /\$ $/.test(client.output), 'prompt');
        await client.close();
      }
      // Only the pre-started labs' stand-in worlds may still run (at most maxWarm of them), once
      // the last closed lab has finished stopping.
      const commandLines = () => labProcesses().map((pid) => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim(); } catch { return 'gone'; } }).filter((cmd) => cmd !== 'gone');
      const settleStart = Date.now();
      while (!commandLines().every((cmd) => cmd === 'sleep 977') && Date.now() - settleStart < 20_000) await new Promise((resolve) => setTimeout(resolve, 100));
      const running = commandLines();
      expect(running.every((cmd) => cmd === 'sleep 977')).toBe(true);
      expect(running.length).toBeLessThanOrEqual(2);
      expect(readdirSync(busy.workRoot).length).toBeLessThanOrEqual(2); // the pre-started labs' folders
      await busy.runner.close();
      expect(await waitForNoProcesses()).toEqual([]);
      expect(busy.runner.openLabs).toBe(0);
      // Every lab folder is gone too.
      expect(readdirSync(busy.workRoot)).toEqual([]);
    } finally {
      await busy.close();
    }
  }, 240_000);

  it('hands a pre-started lab to the next page that opens it', async () => {
    const warmRunner = await startHarness({ labsDir, prewarm: true, prewarmDelayMs: 0 });
    try {
      const url = `ws://127.0.0.1:${warmRunner.port}${LAB_SOCKET_PATH}?lab=trivial&token=${warmRunner.runner.token}`;
      const first = new Client(new WebSocket(url, { origin: warmRunner.origin }));
      await first.waitFor(() => first.messages.some((m) => m.type === 'ready'), 'ready');
      const firstDir = (await first.request({ type: 'exec', command: 'pwd', args: [] })).value as { output: string };
      await first.request({ type: 'write', path: 'notes.txt', base64: Buffer.from('mine').toString('base64') });
      await first.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const second = new Client(new WebSocket(url, { origin: warmRunner.origin }));
      await second.waitFor(() => second.messages.some((m) => m.type === 'ready'), 'ready');
      const secondDir = (await second.request({ type: 'exec', command: 'pwd', args: [] })).value as { output: string };
      expect(secondDir.output).not.toBe(firstDir.output); // a fresh folder, not the first page's
      const notes = await second.request({ type: 'read', path: 'notes.txt' });
      expect(Buffer.from(notes.value as string, 'base64').toString()).toBe('starting notes\n');
      await second.close();
    } finally {
      await warmRunner.close();
    }
    expect(await waitForNoProcesses()).toEqual([]);
  });
});
