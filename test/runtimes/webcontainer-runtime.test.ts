import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RuntimeError } from '../../src/runtimes/runtime.ts';
import { WebContainerRuntime, decodeTree, forgetSharedWebContainer } from '../../src/runtimes/webcontainer/webcontainer-runtime.ts';
import { FakeWebContainer, fakeApi } from './fake-webcontainer.ts';

const tree = decodeTree({
  'mongod.conf': { file: { contents: 'net:\n  bindIp: 0.0.0.0\n' } },
  downloads: { directory: {} },
  '.lab': { directory: { 'clip.wav': { file: { contents: { base64: Buffer.from([82, 73, 70, 70, 0, 1]).toString('base64') } } } } },
});

let fake: FakeWebContainer;
beforeEach(() => {
  forgetSharedWebContainer();
  fake = new FakeWebContainer();
});
afterEach(() => vi.useRealTimers());

function runtime(options: { hang?: boolean; fail?: Error; bootTimeoutMs?: number } = {}) {
  const api = fakeApi(fake, options);
  return { api, runtime: new WebContainerRuntime({ loadApi: async () => api, fetchTree: async () => tree, bootTimeoutMs: options.bootTimeoutMs }) };
}

describe('WebContainer runtime (against a fake @webcontainer/api)', () => {
  it('boots once per page even with two panels', async () => {
    const { api, runtime: first } = runtime();
    const second = new WebContainerRuntime({ loadApi: async () => api, fetchTree: async () => tree });
    await Promise.all([first.boot(), second.boot()]);
    expect(api.boots).toBe(1);
  });

  it('mounts the prebuilt tree under labs/<id> without installing anything, and starts the world', async () => {
    const { runtime: wc } = runtime();
    const session = await wc.mount('open-door');
    expect(fake.mounts).toEqual([{ mountPoint: 'labs/open-door' }]);
    expect(new TextDecoder().decode(await session.readFile('mongod.conf'))).toContain('bindIp: 0.0.0.0');
    expect([...(await session.readFile('.lab/clip.wav'))]).toEqual([82, 73, 70, 70, 0, 1]); // binary survived
    const commands = fake.spawned.map((p) => [p.call.command, ...p.call.args].join(' '));
    expect(commands.some((c) => /npm (i|install)/.test(c))).toBe(false);
    expect(commands).toContain('node .lab/lab-session.mjs start --lab /home/cloudpets/labs/open-door');
  });

  it('spawns jsh with the terminal size, pipes output and input, and resizes', async () => {
    const { runtime: wc } = runtime();
    const session = await wc.mount('open-door');
    const shell = await session.openShell({ cols: 100, rows: 30 });
    const jsh = fake.spawned.find((p) => p.call.command === 'jsh')!;
    expect(jsh.call.terminal).toEqual({ cols: 100, rows: 30 });
    expect(jsh.call.cwd).toBe('/home/cloudpets/labs/open-door');
    expect(jsh.call.env?.PATH?.startsWith('/home/cloudpets/labs/open-door/.lab/bin:')).toBe(true);
    const seen: string[] = [];
    shell.onData((data) => seen.push(data));
    jsh.emit('~/labs/open-door ❯ ');
    await vi.waitFor(() => expect(seen.join('')).toContain('❯'));
    shell.write('scan db.cloudpets.test\r');
    await vi.waitFor(() => expect(jsh.input).toEqual(['scan db.cloudpets.test\r']));
    shell.resize({ cols: 120, rows: 40 });
    expect(jsh.resizes).toEqual([{ cols: 120, rows: 40 }]);
    jsh.exit(0);
    expect(await shell.exit).toBe(0);
  });

  it('runs a command and collects its output and exit code', async () => {
    const { runtime: wc } = runtime();
    const session = await wc.mount('open-door');
    fake.onSpawn = (p) => {
      if (p.call.command === 'checks') {
        p.emit('{"passed":');
        p.emit('false}\n');
        p.exit(1);
      } else if (p.call.command !== 'jsh') p.exit(0);
    };
    expect(await session.exec('checks', ['--json'])).toEqual({ output: '{"passed":false}\n', exitCode: 1 });
  });

  it('stops a command that runs past its time limit', async () => {
    const { runtime: wc } = runtime();
    const session = await wc.mount('open-door');
    fake.onSpawn = (p) => {
      if (p.call.command === 'sleep') p.emit('still going');
      else if (p.call.command !== 'jsh') p.exit(0);
    };
    const result = await session.exec('sleep', ['100'], { timeoutMs: 50 });
    expect(result.exitCode).toBe(124);
    expect(result.output).toMatch(/stopped after/);
    expect(fake.spawned.find((p) => p.call.command === 'sleep')!.killed).toBe(true);
  });

  it('writes files (creating folders), lists folders, and refuses paths that leave the lab', async () => {
    const { runtime: wc } = runtime();
    const session = await wc.mount('open-door');
    await session.writeFile('api/app.js', 'module.exports = 1;\n');
    expect(new TextDecoder().decode(await session.readFile('api/app.js'))).toBe('module.exports = 1;\n');
    expect(await session.readdir('.')).toEqual(expect.arrayContaining([{ name: 'api', kind: 'directory' }, { name: 'mongod.conf', kind: 'file' }]));
    expect(await session.readdir('no-such-folder')).toEqual([]);
    await expect(session.readFile('../other-lab/secret')).rejects.toThrow(/leaves the lab folder/);
    await expect(session.readFile('missing.txt')).rejects.toThrow(/no such file in the lab: missing.txt/);
  });

  it('reset kills running processes and mounts the starting files again', async () => {
    const { runtime: wc } = runtime();
    const session = await wc.mount('open-door');
    await session.openShell({ cols: 80, rows: 24 });
    await session.writeFile('mongod.conf', 'edited');
    await session.writeFile('downloads/accounts.json', '[]');
    await session.reset();
    expect(fake.spawned.find((p) => p.call.command === 'jsh')!.killed).toBe(true);
    expect(new TextDecoder().decode(await session.readFile('mongod.conf'))).toContain('bindIp');
    await expect(session.readFile('downloads/accounts.json')).rejects.toThrow(RuntimeError);
    expect(fake.mounts).toHaveLength(2);
  });

  it('gives up on a boot that hangs (offline) after the timeout, saying what to do', async () => {
    vi.useFakeTimers();
    const { runtime: wc } = runtime({ hang: true });
    const booting = wc.mount('open-door');
    const assertion = expect(booting).rejects.toMatchObject({
      name: 'RuntimeError',
      message: expect.stringMatching(/did not start within 20 seconds.*stackblitz\.com/),
      help: expect.stringMatching(/npm install && npm start/),
    });
    await vi.advanceTimersByTimeAsync(19_000);
    await vi.advanceTimersByTimeAsync(1_100);
    await assertion;
  });

  it('tries a fresh boot after a timed-out one', async () => {
    vi.useFakeTimers();
    const hung = runtime({ hang: true, bootTimeoutMs: 1000 });
    const first = expect(hung.runtime.boot()).rejects.toThrow(/did not start/);
    await vi.advanceTimersByTimeAsync(1100);
    await first;
    vi.useRealTimers();
    const ok = runtime();
    await ok.runtime.boot();
    expect(ok.api.boots).toBe(1);
  });

  it('reports a boot that fails outright with the reason and the local alternative', async () => {
    const { runtime: wc } = runtime({ fail: new Error('Unable to create more instances') });
    await expect(wc.boot()).rejects.toMatchObject({ message: expect.stringMatching(/Unable to create more instances/), help: expect.stringMatching(/npm start/) });
  });
});
