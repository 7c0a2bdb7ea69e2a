import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FILE_CHUNK_BYTES, LAB_SOCKET_PATH } from '../../src/runtimes/local/protocol.ts';
import { LAB_MARKER_VARIABLE } from '../../src/server/local-runner/process-reaper.ts';
import { type Harness, LabClient, connectLab, labFolderOf, labFolders, makeTrivialLabs, processesUnder, startHarness as startAnyHarness } from './harness.ts';

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

class Client extends LabClient {}

async function openLab(): Promise<LabClient> {
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
    ours = [...new Set([...labProcesses(), ...processesUnder(workRoots).map((p) => p.pid)])];
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
  it('runs the lab shell in a pty and says when it is ready for input', async () => {
    const client = await openLab();
    await client.openShell(100, 30);
    expect(client.output).toContain('learner@internet:~$ ');
    expect(client.output).not.toContain('\x1b]654'); // the ready signal is the runtime's, not the learner's
    client.send({ type: 'input', data: 'hello\r' });
    client.send({ type: 'input', data: 'cat notes.txt\r' });
    client.send({ type: 'input', data: 'cols\r' });
    await client.waitFor(() => client.output.includes('hello from the lab: trivial') && client.output.includes('starting notes'), 'hello output');
    await client.waitFor(() => /\b100\r+\n/.test(client.output), 'cols');
    client.send({ type: 'resize', cols: 120, rows: 30 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.send({ type: 'input', data: 'cols\r' });
    await client.waitFor(() => /\b120\r+\n/.test(client.output), 'resized cols');
    client.send({ type: 'input', data: 'exit\r' });
    await client.waitFor(() => client.messages.some((m) => m.type === 'shell-exit'), 'shell-exit');
    await client.close();
  });

  it('reads and writes files in chunks, and refuses paths outside the lab', async () => {
    const client = await openLab();
    expect((await client.write('sub/new.txt', 'edited')).ok).toBe(true);
    expect(await client.readText('sub/new.txt')).toBe('edited');
    // A file bigger than one chunk travels in several, both ways.
    const big = Buffer.alloc(FILE_CHUNK_BYTES * 2 + 123, 7);
    for (let at = 0, id = 9000; at < big.length; at += FILE_CHUNK_BYTES) {
      const last = at + FILE_CHUNK_BYTES >= big.length;
      const message = { type: 'write', path: 'downloads/big.bin', base64: big.subarray(at, at + FILE_CHUNK_BYTES).toString('base64'), last };
      if (last) expect((await client.request(message, id)).ok).toBe(true);
      else client.send({ ...message, id });
    }
    const read = await client.request({ type: 'read', path: 'downloads/big.bin' });
    expect(read.bytes.equals(big)).toBe(true);
    const escape = await client.request({ type: 'read', path: '../../../etc/passwd' });
    expect(escape).toMatchObject({ ok: false, error: expect.stringMatching(/leaves the lab folder/) });
    expect(await client.request({ type: 'read', path: 'nope.txt' })).toMatchObject({ ok: false, error: expect.stringMatching(/no such file/) });
    // A symlink planted in the lab must not lead out either.
    symlinkSync('/etc', join(await labFolderOf(client, harness), 'out'));
    expect(await client.request({ type: 'read', path: 'out/passwd' })).toMatchObject({ ok: false, error: expect.stringMatching(/outside the lab/) });
    await client.close();
  });

  it('lists the learner outputs with a version that changes with the file', async () => {
    const client = await openLab();
    await client.write('downloads/a/clip.wav', 'RIFF');
    await client.write('findings.txt', 'db.cloudpets.test:27017 open\n');
    symlinkSync('/etc/passwd', join(await labFolderOf(client, harness), 'downloads', 'passwd'));
    const first = (await client.request({ type: 'list-outputs' })).value as { path: string; size: number; version: string }[];
    expect(first.map((output) => output.path)).toEqual(['downloads/a/clip.wav', 'findings.txt']); // the link is not an output
    expect(first[0]).toMatchObject({ size: 4, version: expect.stringMatching(/^4:/) });
    await client.write('downloads/a/clip.wav', 'RIFF and more');
    const second = (await client.request({ type: 'list-outputs' })).value as { path: string; version: string }[];
    expect(second[0]!.version).not.toBe(first[0]!.version);
    await client.close();
  });

  it('restarts the world and runs the checks through the lab shell, and passes every new report on', async () => {
    const client = await openLab();
    await client.openShell();
    // With no lab shell (the learner typed exit), a lab operation says so.
    client.send({ type: 'input', data: 'exit\r' });
    await client.waitFor(() => client.messages.some((m) => m.type === 'shell-exit'), 'the shell to end');
    const noShell = await client.request({ type: 'run-checks' });
    expect(noShell).toMatchObject({ ok: false, exitCode: 3, error: expect.stringMatching(/no lab shell is running/) });
    await client.openShell();
    expect(await client.request({ type: 'restart-world' })).toMatchObject({ ok: true, value: { status: 'ready' } });
    await client.write('notes.txt', 'broken on purpose');
    expect(await client.request({ type: 'restart-world' })).toMatchObject({ ok: false, error: 'notes.txt line 1: broken' });
    const checks = await client.request({ type: 'run-checks' });
    expect(checks).toMatchObject({ ok: true, value: { lab: 'trivial', passed: true, total: 1 } });
    await client.waitFor(() => client.messages.some((m) => m.type === 'report'), 'the report message');
    // Checks typed in the terminal reach the page too, without parsing the terminal.
    const reports = () => client.messages.filter((m) => m.type === 'report').length;
    const before = reports();
    client.send({ type: 'input', data: 'checks\r' });
    await client.waitFor(() => reports() > before, 'the report of checks typed in the shell');
    await client.close();
  });

  it('starts the shell as the page connects, and restarts its world with the files the page restores before it opens the terminal', async () => {
    const client = await openLab();
    // The shell is already running (its process is in the lab folder) before the page asks for it.
    const folder = await labFolderOf(client, harness);
    await client.waitFor(() => processesUnder([folder]).length >= 1, 'the lab shell started on connect');
    // The page restores the learner's saved work, then opens the terminal: the world, started
    // with the starting files, restarts with the restored ones.
    expect((await client.write('notes.txt', 'restored work')).ok).toBe(true);
    await client.openShell();
    // The restart runs behind the prompt: ask the stand-in until it has happened.
    for (let asked = 0; !/world restarts: 1/.test(client.output); asked++) {
      if (asked > 300) throw new Error(`the world did not restart with the restored file; output:\n${client.output}`);
      client.send({ type: 'input', data: 'restarts\r' });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.close();
  });

  it('writes the learner seed into .lab/lab.json before the shell starts, and refuses a bad seed', async () => {
    const client = await new Client(new WebSocket(`ws://127.0.0.1:${harness.port}${LAB_SOCKET_PATH}?lab=trivial&seed=4242&token=${harness.runner.token}`, { origin: harness.origin })).ready();
    await client.openShell();
    client.send({ type: 'input', data: 'seed\r' });
    await client.waitFor(() => client.output.includes('seed: 4242'), 'the seed');
    expect(JSON.parse(await client.readText('.lab/lab.json'))).toMatchObject({ id: 'trivial', seed: 4242 });
    await client.close();
    for (const seed of ['-1', 'x', '99999999999', '1.5']) expect((await attempt({ lab: `trivial&seed=${seed}` })).status).toBe(400);
  });

  it('reset restores the starting files and gives a new shell', async () => {
    const client = await openLab();
    await client.openShell();
    await client.write('notes.txt', 'changed');
    const folder = await labFolderOf(client, harness);
    expect((await client.request({ type: 'reset' })).ok).toBe(true);
    expect(await client.readText('notes.txt')).toBe('starting notes\n');
    expect(existsSync(folder)).toBe(false); // the old folder went
    expect(await labFolderOf(client, harness)).not.toBe(folder);
    await client.openShell();
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

  it('kills every process of a lab when its socket closes, and removes its folder', async () => {
    const client = await openLab();
    await client.openShell();
    expect(processesUnder([harness.workRoot]).length).toBeGreaterThanOrEqual(2); // the lab shell and its world
    await client.close();
    expect(await waitForNoProcesses()).toEqual([]);
    await client.waitFor(() => readdirSync(harness.workRoot).length === 0, 'the lab folder to go');
  });

  it('closes an idle lab and kills its processes', async () => {
    const idle = await startHarness({ labsDir, idleMs: 300 });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${idle.port}${LAB_SOCKET_PATH}?lab=trivial&token=${idle.runner.token}`, { origin: idle.origin });
      const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
      expect(code).toBe(1000);
      expect(await waitForNoProcesses()).toEqual([]);
    } finally {
      await idle.close();
    }
  });

  it('leaves no process or folder behind after 20 labs opened and closed (with pre-started labs too)', async () => {
    const busy = await startHarness({ labsDir, prewarm: true, prewarmDelayMs: 0, maxWarm: 2, maxLabs: 3 });
    try {
      for (let i = 0; i < 20; i++) {
        const client = await connectLab(busy).ready();
        await client.openShell();
        client.send({ type: 'input', data: 'hello\r' });
        await client.waitFor(() => client.output.includes('hello from the lab'), 'hello');
        await client.close();
      }
      await busy.runner.close();
      expect(await waitForNoProcesses()).toEqual([]);
      expect(busy.runner.openLabs).toBe(0);
      expect(readdirSync(busy.workRoot)).toEqual([]);
    } finally {
      await busy.close();
    }
  }, 240_000);

  it('hands a pre-started lab (shell already at its prompt) to the next page that opens it', async () => {
    const warmRunner = await startHarness({ labsDir, prewarm: true, prewarmDelayMs: 0 });
    try {
      const first = await connectLab(warmRunner).ready();
      await first.write('notes.txt', 'mine');
      await first.close();
      await first.waitFor(() => labFolders(warmRunner).length === 1, 'one pre-started lab');
      const warmFolder = labFolders(warmRunner)[0]!;
      await first.waitFor(() => processesUnder([warmFolder]).length >= 2, 'the pre-started lab shell');
      const second = await connectLab(warmRunner).ready();
      await second.openShell();
      expect(second.output).toContain('Stand-in lab shell: trivial'); // its banner, printed before the page came
      expect(labFolders(warmRunner)).toContain(warmFolder);
      expect(await second.readText('notes.txt')).toBe('starting notes\n');
      await second.close();
    } finally {
      await warmRunner.close();
    }
    expect(await waitForNoProcesses()).toEqual([]);
  });
});
