/**
 * Attacks on the local runner from issue 13 (items 4, 6, 7 and two of item 9), replayed.
 * After every crash-type attack the runner must still answer, and no process or folder of
 * the attacked lab may be left behind. The labs run the stand-in lab shell
 * (test/local-runner/stand-in-lab-shell.mjs), which speaks the lab-runtime contract.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { INPUT_CHUNK_CHARS, LAB_SOCKET_PATH, MAX_MESSAGE_BYTES } from '../../src/runtimes/local/protocol.ts';
import { type Harness, type LabClient, connectLab, labFolderOf, makeTrivialLabs, processesUnder, startHarness, waitForNoProcessesUnder } from '../local-runner/harness.ts';

let labsDir: string;
let harness: Harness;
let outside: string;

beforeAll(async () => {
  labsDir = makeTrivialLabs();
  harness = await startHarness({ labsDir, maxLabs: 4 });
  outside = mkdtempSync(join(tmpdir(), 'cloudpets-outside-'));
});
afterAll(async () => {
  await harness.close();
  rmSync(labsDir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** The runner still serves a fresh lab: it opens, reads a starting file, and its shell answers. */
async function runnerStillAnswers(): Promise<void> {
  const client = await connectLab(harness).ready();
  expect(await client.readText('notes.txt')).toBe('starting notes\n');
  await client.openShell();
  client.send({ type: 'input', data: 'hello\r' });
  await client.waitFor(() => client.output.includes('hello from the lab: trivial'), 'the shell to answer');
  await client.close();
}

/** Nothing of this lab folder lives on: no process, and the folder itself is gone. */
async function nothingLeftOf(folder: string): Promise<void> {
  expect(await waitForNoProcessesUnder([folder])).toEqual([]);
  const start = Date.now();
  while (existsSync(folder) && Date.now() - start < 20_000) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(existsSync(folder)).toBe(false);
}

function closed(client: LabClient): Promise<number> {
  return new Promise((resolve) => {
    if (client.closeCode !== undefined) return resolve(client.closeCode);
    client.ws.once('close', (code) => resolve(code));
  });
}

describe('issue 13 item 4: one WebSocket message must not bring the runner down', () => {
  it('answers malformed messages (bad JSON, the JSON text null, wrong types, the old exec) with a clear error, and goes on', async () => {
    const client = await connectLab(harness).ready();
    const frames = [
      'not json',
      'null',
      '123',
      '"read"',
      '[]',
      '{}',
      '{"type":"read"}',
      '{"type":"read","id":"1","path":"notes.txt"}',
      '{"type":"input","data":5}',
      '{"type":"resize","cols":1e9,"rows":-1}',
      '{"type":"open-shell","cols":"80","rows":24}',
      '{"type":"write","id":7,"path":"a.txt","base64":"%%%","last":true}',
      '{"type":"exec","id":8,"command":"sh","args":["-c","touch /tmp/pwned"]}',
      '{"type":"read","id":9,"path":"notes.txt","extra":true}',
      '{"type":"__proto__","id":10}',
    ];
    for (const frame of frames) client.ws.send(frame);
    await client.waitFor(() => client.messages.filter((m) => m.type === 'error' || (m.type === 'result' && !m.ok)).length >= frames.length, 'an answer to every bad message');
    const errors = client.messages.flatMap((m) => (m.type === 'error' || (m.type === 'result' && !m.ok) ? [m.error] : []));
    expect(errors[0]).toMatch(/not valid JSON/);
    expect(errors.slice(1).every((error) => /refused: .+\(see src\/runtimes\/local\/protocol\.ts\)/.test(error))).toBe(true);
    expect(client.messages).toContainEqual(expect.objectContaining({ type: 'result', id: 8, ok: false, error: expect.stringMatching(/"exec" refused/) }));
    expect(await client.readText('notes.txt')).toBe('starting notes\n'); // the same socket still works
    await client.close();
  });

  it('closes a socket that sends a frame over the size limit (1009), and nothing of its lab is left', async () => {
    const client = await connectLab(harness).ready();
    await client.openShell();
    const folder = await labFolderOf(client, harness);
    client.ws.send(JSON.stringify({ type: 'input', data: 'x'.repeat(MAX_MESSAGE_BYTES + 10) }));
    expect(await closed(client)).toBe(1009);
    await nothingLeftOf(folder);
    await runnerStillAnswers();
  });

  it('closes a socket that sends invalid UTF-8 in a text frame (1007), and nothing of its lab is left', async () => {
    const client = await connectLab(harness).ready();
    await client.openShell();
    const folder = await labFolderOf(client, harness);
    client.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await closed(client)).toBe(1007);
    await nothingLeftOf(folder);
    await runnerStillAnswers();
  });

  it('refuses binary frames with a message', async () => {
    const client = await connectLab(harness).ready();
    client.ws.send(Buffer.from('{"type":"reset","id":1}'), { binary: true });
    await client.waitFor(() => client.messages.some((m) => m.type === 'error' && /binary/.test(m.error)), 'the error');
    expect(await client.readText('notes.txt')).toBe('starting notes\n');
    await client.close();
  });

  it('survives a page that vanishes in the middle of a request (socket reset)', async () => {
    const client = await connectLab(harness).ready();
    await client.openShell();
    const folder = await labFolderOf(client, harness);
    client.send({ type: 'run-checks', id: 1 });
    client.send({ type: 'read', id: 2, path: 'notes.txt' });
    client.ws.terminate();
    await nothingLeftOf(folder);
    await runnerStillAnswers();
  });
});

describe('issue 13 item 6: big terminal input does not stall the runner', () => {
  it('takes a 4 MB paste in bounded pieces, refuses the rest with a message, and keeps answering', async () => {
    const client = await connectLab(harness).ready();
    await client.openShell();
    const piece = 'y'.repeat(INPUT_CHUNK_CHARS);
    for (let sent = 0; sent < 4 * 1024 * 1024; sent += piece.length) client.send({ type: 'input', data: piece });
    const answer = await client.request({ type: 'read', path: 'notes.txt' });
    expect(answer.ok).toBe(true);
    await client.waitFor(() => client.messages.some((m) => m.type === 'error' && /input refused/.test(m.error)), 'the refusal');
    client.send({ type: 'input', data: '\x03' });
    client.send({ type: 'input', data: 'hello\r' });
    await client.waitFor(() => client.output.includes('hello from the lab: trivial'), 'the shell after the paste', 60_000);
    await client.close();
  });

  it('takes 15 MB of input mixed with thousands of resizes and keeps answering', async () => {
    const client = await connectLab(harness).ready();
    await client.openShell();
    const folder = await labFolderOf(client, harness);
    const piece = 'z'.repeat(INPUT_CHUNK_CHARS);
    for (let sent = 0, i = 0; sent < 15 * 1024 * 1024; sent += piece.length, i++) {
      client.send({ type: 'input', data: piece });
      client.send({ type: 'resize', cols: 40 + (i % 100), rows: 10 + (i % 40) });
      client.send({ type: 'resize', cols: 80, rows: 24 });
    }
    expect((await client.request({ type: 'list-outputs' })).ok).toBe(true);
    await runnerStillAnswers();
    client.send({ type: 'input', data: '\x03' });
    client.send({ type: 'input', data: 'cols\r' });
    await client.waitFor(() => /\b80\r+\n/.test(client.output), 'the last size to win', 60_000);
    await client.close();
    await nothingLeftOf(folder);
  });
});

describe('issue 13 item 7: the file API opens regular files inside the lab only', () => {
  it('refuses to read or write a FIFO (without waiting on it), and a device reached through a link', async () => {
    const client = await connectLab(harness).ready();
    const folder = await labFolderOf(client, harness);
    expect(spawnSync('mkfifo', [join(folder, 'pipe')]).status).toBe(0);
    expect(await client.request({ type: 'read', path: 'pipe' })).toMatchObject({ ok: false, error: expect.stringMatching(/not a regular file/) });
    expect(await client.write('pipe', 'x')).toMatchObject({ ok: false, error: expect.stringMatching(/not a regular file/) });
    symlinkSync('/dev/zero', join(folder, 'zero'));
    expect(await client.request({ type: 'read', path: 'zero' })).toMatchObject({ ok: false, error: expect.stringMatching(/outside the lab/) });
    await client.close();
    await nothingLeftOf(folder);
    await runnerStillAnswers();
  });

  it('never lets a write escape through a dangling symlink (to a file or to a folder)', async () => {
    const client = await connectLab(harness).ready();
    const folder = await labFolderOf(client, harness);
    const target = join(outside, 'escaped.txt');
    symlinkSync(target, join(folder, 'findings.txt'));
    symlinkSync(join(outside, 'made-dir'), join(folder, 'dirlink'));
    symlinkSync(outside, join(folder, 'outlink'));
    const viaFile = await client.write('findings.txt', 'planted');
    const viaDir = await client.write('dirlink/x.txt', 'planted');
    const viaLink = await client.write('outlink/y.txt', 'planted');
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(outside)).toEqual([]);
    expect(viaDir.ok).toBe(false);
    expect(viaLink).toMatchObject({ ok: false, error: expect.stringMatching(/outside the lab/) });
    // The write to findings.txt landed in the lab, replacing the link (rename does not follow it).
    expect(viaFile.ok).toBe(true);
    expect(readFileSync(join(folder, 'findings.txt'), 'utf8')).toBe('planted');
    await client.close();
  });
});

describe('issue 13 item 9: no lab folder or process outlives its lab', () => {
  it('concurrent resets and a close at once leave no folder and no process', async () => {
    const client = await connectLab(harness).ready();
    await client.openShell();
    const first = await labFolderOf(client, harness);
    const root = join(first, '..');
    for (let id = 1; id <= 5; id++) client.send({ type: 'reset', id });
    client.send({ type: 'open-shell', cols: 80, rows: 24 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await client.close();
    // Every folder this lab ever had is under the harness's work root; wait for them all.
    const start = Date.now();
    while (processesUnder([harness.workRoot]).length + readdirSync(harness.workRoot).length > 0 && Date.now() - start < 30_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(existsSync(root)).toBe(false);
    expect(readdirSync(harness.workRoot, { recursive: true })).toEqual([]);
    expect(processesUnder([harness.workRoot])).toEqual([]);
    await runnerStillAnswers();
  });

  it('a runner removes the lab folders a crashed runner left behind (and not a live one\'s)', async () => {
    const workRoot = mkdtempSync(join(tmpdir(), 'cloudpets-crashed-'));
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const leftover = join(workRoot, `cloudpets-${deadPid}-trivial-AbC123`);
    const live = join(workRoot, `cloudpets-${process.pid}-trivial-XyZ789`);
    for (const dir of [leftover, live]) {
      mkdirSync(join(dir, 'trivial'), { recursive: true });
      writeFileSync(join(dir, 'trivial', 'notes.txt'), 'x');
    }
    const next = await startHarness({ labsDir, workRoot });
    try {
      const start = Date.now();
      while (existsSync(leftover) && Date.now() - start < 20_000) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(existsSync(leftover)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      await next.close();
      rmSync(workRoot, { recursive: true, force: true });
    }
  });

  it('a process started with setsid and an empty environment does not survive the page', async () => {
    const client = await connectLab(harness).ready();
    await client.openShell();
    const folder = await labFolderOf(client, harness);
    client.send({ type: 'input', data: 'escape\r' });
    await client.waitFor(() => client.output.includes('escaped'), 'the escape');
    const escaped = () =>
      readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .filter((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === '/usr/bin/sleep\u00001003\u0000' && readlinkSync(`/proc/${pid}/cwd`).startsWith(folder);
          } catch {
            return false;
          }
        });
    await client.waitFor(() => escaped().length === 1, 'the escaped process');
    const pid = escaped()[0]!;
    expect(readFileSync(`/proc/${pid}/environ`, 'latin1')).toBe(''); // no marker to find it by
    await client.close();
    await nothingLeftOf(folder);
    expect(escaped()).toEqual([]);
  });
});

describe('the socket address', () => {
  it('refuses a lab id or seed that is not well-formed', async () => {
    for (const query of ['lab=../etc', 'lab=trivial&seed=-1', 'lab=trivial&seed=1e3']) {
      const ws = new WebSocket(`ws://127.0.0.1:${harness.port}${LAB_SOCKET_PATH}?${query}&token=${harness.runner.token}`, { origin: harness.origin });
      const status = await new Promise<number>((resolve) => {
        ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => undefined);
      });
      expect(status).toBe(400);
    }
  });
});
