import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RuntimeError } from '../../src/runtimes/runtime.ts';
import { type CspViolation, WebContainerRuntime, decodeTree, forgetSharedWebContainer } from '../../src/runtimes/webcontainer/webcontainer-runtime.ts';
import { checkBrowserSupport } from '../../src/runtimes/webcontainer/browser-support.ts';
import { FakeWebContainer, type FakeApiOptions, fakeApi, speakLabContract } from './fake-webcontainer.ts';

const tree = decodeTree({
  'mongod.conf': { file: { contents: 'net:\n  bindIp: 0.0.0.0\n' } },
  downloads: { directory: {} },
  '.lab': {
    directory: {
      'lab.json': { file: { contents: '{"id":"open-door","title":"Open door"}' } },
      'clip.wav': { file: { contents: { base64: Buffer.from([82, 73, 70, 70, 0, 1]).toString('base64') } } },
    },
  },
});
const full = () => ({ level: 'full' as const, bootOnClick: false });
const report = { lab: 'open-door', title: 'Open door', kind: 'fix', passed: false, total: 1, passedCount: 0, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 5, results: [{ id: 'a', title: 'A', pass: false, reason: 'r', hint: 'h', lessonAnchor: 'x#y', durationMs: 5 }] };

let fake: FakeWebContainer;
beforeEach(() => {
  forgetSharedWebContainer();
  fake = new FakeWebContainer();
});
afterEach(() => vi.useRealTimers());

function runtime(options: FakeApiOptions & { bootTimeoutMs?: number; shellReadyTimeoutMs?: number; watchCsp?: (listener: (v: CspViolation) => void) => () => void } = {}) {
  const api = fakeApi(fake, options);
  return {
    api,
    runtime: new WebContainerRuntime({ loadApi: async () => api, fetchTree: async () => tree, bootTimeoutMs: options.bootTimeoutMs, shellReadyTimeoutMs: options.shellReadyTimeoutMs, checkBrowser: full, watchCsp: options.watchCsp }),
  };
}
const commands = () => fake.spawned.map((p) => [p.call.command, ...p.call.args].join(' '));

describe('WebContainer runtime (against a fake @webcontainer/api)', () => {
  it('boots once per page even with two panels', async () => {
    const { api, runtime: first } = runtime();
    const second = new WebContainerRuntime({ loadApi: async () => api, fetchTree: async () => tree, checkBrowser: full });
    await Promise.all([first.boot(), second.boot()]);
    expect(api.boots).toBe(1);
  });

  it('mounts the prebuilt tree under labs/<id>, opts it into Node 22, and writes the learner seed; nothing is installed', async () => {
    const { runtime: wc } = runtime();
    const session = await wc.mount('open-door', { seed: 123456 });
    expect(fake.mounts).toEqual([{ mountPoint: 'labs/open-door' }]);
    expect(new TextDecoder().decode(await session.readFile('mongod.conf'))).toContain('bindIp: 0.0.0.0');
    expect([...(await session.readFile('.lab/clip.wav'))]).toEqual([82, 73, 70, 70, 0, 1]); // binary survived
    for (const root of ['', 'labs/open-door/']) {
      expect(JSON.parse(new TextDecoder().decode(fake.files.get(`${root}package.json`)!)).engines.node).toBe('>=22.12.0');
      expect(new TextDecoder().decode(fake.files.get(`${root}.nvmrc`)!).trim()).toBe('22');
    }
    expect(JSON.parse(new TextDecoder().decode(await session.readFile('.lab/lab.json')))).toMatchObject({ id: 'open-door', seed: 123456 });
    expect(commands().some((c) => /npm (i|install)/.test(c))).toBe(false);
  });

  it('runs the lab shell with node and a terminal (never jsh), and sends input only after its ready signal', async () => {
    const { runtime: wc } = runtime();
    const session = await wc.mount('open-door');
    let sendReady: () => void = () => undefined;
    fake.onSpawn = (control) => {
      if (control.call.args[0] !== '.lab/lab-shell.mjs') return control.exit(0);
      control.emit('CloudPets lab\r\nlearner@internet:~$ ');
      sendReady = () => control.emit('\x1b]654;cloudpets-ready\x07');
    };
    let opened = false;
    const opening = session.openShell({ cols: 100, rows: 30 }).then((shell) => ((opened = true), shell));
    await vi.waitFor(() => expect(fake.spawned.length).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(opened).toBe(false); // no ready signal yet: no shell to type into
    sendReady();
    const shell = await opening;
    const labShell = fake.spawned[0]!;
    expect([labShell.call.command, ...labShell.call.args]).toEqual(['node', '.lab/lab-shell.mjs']);
    expect(labShell.call.terminal).toEqual({ cols: 100, rows: 30 });
    expect(labShell.call.cwd).toBe('/home/cloudpets/labs/open-door');
    expect(labShell.call.env).toEqual({ TERM: 'xterm-256color', CLOUDPETS_LAB_DIR: '/home/cloudpets/labs/open-door' });
    const seen: string[] = [];
    shell.onData((data) => seen.push(data));
    expect(seen.join('')).toBe('CloudPets lab\r\nlearner@internet:~$ '); // what came before, without the signal
    shell.write('scan db.cloudpets.test\r');
    await vi.waitFor(() => expect(labShell.input).toEqual(['scan db.cloudpets.test\r']));
    shell.resize({ cols: 120, rows: 40 });
    expect(labShell.resizes).toEqual([{ cols: 120, rows: 40 }]);
    labShell.exit(0);
    expect(await shell.exit).toBe(0);
    expect(commands().some((c) => c.startsWith('jsh'))).toBe(false);
    expect(fake.refused).toEqual([]);
  });

  it('finds the ready signal split across chunks, and gives up on a shell that never signals (exit 124)', async () => {
    const { runtime: wc } = runtime({ shellReadyTimeoutMs: 100 });
    const session = await wc.mount('open-door');
    speakLabContract(fake); // emits the signal in two pieces
    await session.openShell({ cols: 80, rows: 24 });
    fake.onSpawn = (control) => control.emit('no signal from this one');
    await expect(session.openShell({ cols: 80, rows: 24 })).rejects.toMatchObject({ exitCode: 124, message: expect.stringMatching(/did not get ready/) });
  });

  it('runs the lab operations through lab-control and reads its stdout, not the terminal', async () => {
    const { runtime: wc } = runtime();
    const session = await wc.mount('open-door');
    speakLabContract(fake, {
      'run-checks': { exit: 0, stdout: `${JSON.stringify(report)}\n` },
      'restart-world': { exit: 1, stdout: '{"ok":false,"error":"mongod.conf line 3: bindIp must be a string"}\n' },
    });
    await session.openShell({ cols: 80, rows: 24 });
    expect(await session.runChecks()).toEqual(report);
    await expect(session.restartWorld()).rejects.toMatchObject({ message: 'mongod.conf line 3: bindIp must be a string', exitCode: 1 });
    expect(commands()).toEqual(expect.arrayContaining(['node .lab/lab-control.mjs run-checks', 'node .lab/lab-control.mjs restart-world']));
    for (const op of fake.spawned.filter((p) => p.call.args[0] === '.lab/lab-control.mjs')) expect(op.call.terminal).toBeUndefined();
  });

  it('says when no lab shell runs (exit 3) and stops an operation that runs past its time with exit 124', async () => {
    vi.useFakeTimers();
    const { runtime: wc } = runtime();
    const session = await wc.mount('open-door');
    speakLabContract(fake, { 'restart-world': { exit: 3, stdout: '{"ok":false,"error":"no lab shell"}\n' }, 'run-checks': 'hang' });
    await expect(session.restartWorld()).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/No lab shell is running/) });
    const checks = expect(session.runChecks()).rejects.toMatchObject({ exitCode: 124, message: expect.stringMatching(/did not finish/) });
    await vi.advanceTimersByTimeAsync(241_000);
    await checks;
    expect(fake.spawned.find((p) => p.call.args[1] === 'run-checks')!.killed).toBe(true);
  });

  it('passes on every report follow-reports prints (checks typed in the shell included)', async () => {
    const { runtime: wc } = runtime();
    const session = await wc.mount('open-door');
    const { followers } = speakLabContract(fake);
    const seen: unknown[] = [];
    session.onReport((r) => seen.push(r));
    await session.openShell({ cols: 80, rows: 24 });
    await vi.waitFor(() => expect(followers).toHaveLength(1));
    followers[0]!.emit(JSON.stringify(report).slice(0, 40));
    followers[0]!.emit(JSON.stringify(report).slice(40) + '\n' + JSON.stringify({ ...report, passed: true }) + '\n');
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]).toMatchObject({ passed: true });
  });

  it('writes files (creating folders), lists the learner outputs, and refuses paths that leave the lab', async () => {
    const { runtime: wc } = runtime();
    const session = await wc.mount('open-door');
    await session.writeFile('api/app.js', 'module.exports = 1;\n');
    expect(new TextDecoder().decode(await session.readFile('api/app.js'))).toBe('module.exports = 1;\n');
    await session.writeFile('downloads/voice/1.wav', new Uint8Array([1, 2, 3]));
    await session.writeFile('findings.txt', 'open');
    const outputs = await session.listOutputs();
    expect(outputs.map((o) => [o.path, o.size])).toEqual([['downloads/voice/1.wav', 3], ['findings.txt', 4]]);
    await session.writeFile('downloads/voice/1.wav', new Uint8Array([1, 2, 4]));
    expect((await session.listOutputs())[0]!.version).not.toBe(outputs[0]!.version);
    await expect(session.readFile('../other-lab/secret')).rejects.toThrow(/leaves the lab folder/);
    await expect(session.readFile('missing.txt')).rejects.toThrow(/no such file in the lab: missing.txt/);
  });

  it('reset ends the lab shell (and with it the world) and mounts the starting files again', async () => {
    const { runtime: wc } = runtime();
    const session = await wc.mount('open-door');
    const { shells } = speakLabContract(fake);
    await session.openShell({ cols: 80, rows: 24 });
    await session.writeFile('mongod.conf', 'edited');
    await session.writeFile('downloads/accounts.json', '[]');
    await session.reset();
    expect(shells[0]!.killed).toBe(true);
    expect(new TextDecoder().decode(await session.readFile('mongod.conf'))).toContain('bindIp');
    await expect(session.readFile('downloads/accounts.json')).rejects.toThrow(RuntimeError);
    expect(fake.mounts).toHaveLength(2);
  });

  it('never calls boot() twice: a retry after a timeout waits on the pending boot', async () => {
    vi.useFakeTimers();
    const { api, runtime: wc } = runtime({ slow: true, bootTimeoutMs: 1000 });
    const first = expect(wc.boot()).rejects.toThrow(/did not start within 1 seconds/);
    await vi.advanceTimersByTimeAsync(1100);
    await first;
    const retry = wc.boot();
    api.release(); // the network came back: the first boot finishes
    await retry;
    expect(api.boots).toBe(1);
    vi.useRealTimers();
    // A second runtime on the page shares the booted instance.
    const { runtime: other } = runtime();
    await other.boot();
    expect(api.boots).toBe(1);
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
    await vi.advanceTimersByTimeAsync(20_100);
    await assertion;
  });

  it('tells a Content-Security-Policy that blocks WebContainer from being offline', async () => {
    let report: (v: CspViolation) => void = () => undefined;
    const { runtime: wc } = runtime({ hang: true, watchCsp: (listener) => ((report = listener), () => undefined) });
    const booting = wc.boot();
    report({ blockedURI: 'https://example.org/ad.js', violatedDirective: 'script-src' }); // not ours: ignored
    report({ blockedURI: 'https://w-corp-staticblitz.com', violatedDirective: 'frame-src' }); // lookalike: ignored
    report({ blockedURI: 'https://abc.staticblitz.com/fetch.worker.js', violatedDirective: 'frame-src' });
    await expect(booting).rejects.toMatchObject({ message: expect.stringMatching(/Content-Security-Policy blocked WebContainer \(frame-src refused https:\/\/abc\.staticblitz\.com/), help: expect.stringMatching(/staticblitz/) });
  });

  it('reports a boot that fails outright with the reason and the local alternative, and may try again', async () => {
    const { api, runtime: wc } = runtime({ fail: new Error('Unable to create more instances') });
    await expect(wc.boot()).rejects.toMatchObject({ message: expect.stringMatching(/Unable to create more instances/), help: expect.stringMatching(/npm start/) });
    await expect(wc.boot()).rejects.toThrow(/Unable to create/);
    expect(api.boots).toBe(2); // a failed boot is not pending: trying again is allowed
  });

  it('refuses to boot in a browser that cannot run it, with the reason', async () => {
    const api = fakeApi(fake);
    const wc = new WebContainerRuntime({ loadApi: async () => api, fetchTree: async () => tree, checkBrowser: () => ({ level: 'unsupported', bootOnClick: false, message: 'The in-browser lab needs Safari 16.4 or newer' }) });
    await expect(wc.boot()).rejects.toMatchObject({ message: expect.stringMatching(/Safari 16.4/), help: expect.stringMatching(/npm start/) });
    expect(api.boots).toBe(0);
  });
});

describe('the browser check before booting', () => {
  const ok = { sharedArrayBuffer: true, crossOriginIsolated: true };
  it('supports Chromium fully, Firefox and Safari 16.4+ may work, older Safari not at all, iOS boots on a click', () => {
    expect(checkBrowserSupport('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36', ok)).toEqual({ level: 'full', bootOnClick: false });
    expect(checkBrowserSupport('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0', ok).level).toBe('may-work');
    expect(checkBrowserSupport('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15', ok).level).toBe('may-work');
    expect(checkBrowserSupport('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.3 Safari/605.1.15', ok)).toMatchObject({ level: 'unsupported', message: expect.stringMatching(/16\.4/) });
    expect(checkBrowserSupport('Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1', ok)).toMatchObject({ level: 'may-work', bootOnClick: true });
    expect(checkBrowserSupport('Mozilla/5.0 Chrome/140.0', { sharedArrayBuffer: false, crossOriginIsolated: false })).toMatchObject({ level: 'unsupported', message: expect.stringMatching(/cross-origin isolated/) });
  });
});

describe('the fake holds the adapter to what jsh offers', () => {
  it('runs node only: grep, sed, printf, sh, bash and shebang scripts fail as in jsh, detached spawns are refused', async () => {
    for (const command of ['grep', 'sed', 'printf', 'sh', 'bash', 'jsh-less-tool', '.lab/bin/checks', '/home/cloudpets/labs/x/.lab/bin/scan']) {
      const process = await fake.spawn(command, []);
      let output = '';
      const reader = process.output.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        output += value;
      }
      expect(await process.exit).toBe(127);
      expect(output).toMatch(command.includes('/') ? /ENOENT/ : /command not found/);
    }
    await expect(fake.spawn('node', ['x.mjs'], { detached: true })).rejects.toThrow(/detached/);
    const node = await fake.spawn('node', ['x.mjs']);
    expect(await node.exit).toBe(0);
  });
});
