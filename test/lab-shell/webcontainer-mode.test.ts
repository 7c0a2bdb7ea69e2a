/**
 * The lab shell held to what WebContainer provides (pty-shell.ts): an interactive mongosh
 * session through the terminal, Ctrl+C on crack, a world killed outright, and the guard itself.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GUARD, PtyShell, nodeOnlyBin } from './pty-shell.ts';
import { builtLabs, freshBuiltLab } from './built-labs.ts';
import { openBuiltLabShell } from './built-lab-shells.ts';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const shells: PtyShell[] = [];
async function open(labId: string): Promise<PtyShell> {
  const shell = await openBuiltLabShell(labId);
  shells.push(shell);
  return shell;
}

afterEach(async () => {
  for (const shell of shells.splice(0)) {
    shell.write('exit 0\r');
    const code = await Promise.race([shell.exited, new Promise<string>((done) => setTimeout(() => done('still running'), 15_000))]);
    if (code === 'still running') shell.kill();
    expect(shell.violations(), 'the lab did something WebContainer does not provide').toBe('');
    rmSync(dirname(shell.labDir), { recursive: true, force: true });
  }
});

beforeAll(async () => {
  await builtLabs();
});

describe('the guard', () => {
  it('catches a child process other than node, a detached spawn, a signal to a non-child and node:vm', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'guard-')), 'guard.log');
    const attempts = [
      "require('node:child_process').spawn('sh', ['-c', 'true'])",
      "require('node:child_process').spawn(process.execPath, ['-e', '1'], { detached: true })",
      'process.kill(1, 0)',
      "require('node:vm').runInNewContext('1')",
    ];
    for (const code of attempts) {
      const run = spawnSync(process.execPath, ['--no-addons', '--require', GUARD, '-e', code], { env: { PATH: nodeOnlyBin(), CLOUDPETS_GUARD_LOG: log }, encoding: 'utf8' });
      expect(run.status, code).not.toBe(0);
      expect(run.stderr).toMatch(/not available in WebContainer \(test guard\)/);
    }
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.join('\n')).toMatch(/other than node[\s\S]*detached[\s\S]*not our child[\s\S]*node:vm/);
    const allowed = spawnSync(process.execPath, ['--require', GUARD, '-e', "require('node:child_process').spawnSync('node', ['-e', 'process.versions.webcontainer || process.exit(3)'])"], { env: { PATH: nodeOnlyBin(), CLOUDPETS_GUARD_LOG: log }, encoding: 'utf8' });
    expect(allowed.status, allowed.stderr).toBe(0);
  });
});

describe('the lab shell in WebContainer mode', () => {
  it('completes commands and file names with Tab, and brings lines back with the arrow keys and history', async () => {
    const shell = await open('recon');
    let count = shell.prompts;
    shell.write('ech\t');
    await shell.until(() => /ech(o )$/.test(shell.text), 'the completed command name');
    shell.write('first > notes.txt\r');
    await shell.until(() => shell.prompts > count, 'the prompt');
    count = shell.prompts;
    shell.write('cat not\t');
    await shell.until(() => /cat notes\.txt $/.test(shell.text), 'the completed file name');
    shell.write('\r');
    await shell.until(() => shell.prompts > count, 'the prompt');
    expect(shell.text).toMatch(/^first$/m);
    count = shell.prompts;
    shell.write('\x1b[A\x1b[A\r'); // up twice: the echo line again
    await shell.until(() => shell.prompts > count, 'the prompt');
    expect((await shell.type('history')).output).toMatch(/1 +echo first > notes\.txt\n +2 +cat notes\.txt \n +3 +echo first > notes\.txt/);
  });

  it('on a Node older than 22.12, says so in one line and exits 1', async (context) => {
    const old = '/usr/bin/node';
    const version = existsSync(old) ? spawnSync(old, ['--version'], { encoding: 'utf8' }).stdout.trim() : '';
    const [major = 99, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
    if (!(major < 22 || (major === 22 && minor < 12))) context.skip(); // no older Node on this machine
    const dir = await freshBuiltLab('recon');
    try {
      const run = spawnSync(old, ['.lab/lab-shell.mjs'], { cwd: dir, encoding: 'utf8', env: { PATH: '' }, timeout: 30_000 });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe(`This lab needs Node 22.12 or newer, and this is Node ${version.replace(/^v/, '')}: update Node (or, in the browser, reload the page).\n`);
    } finally {
      rmSync(dirname(dir), { recursive: true, force: true });
    }
  });

  it('runs an interactive mongosh session through the terminal: connect, show dbs, findOne, exit', async () => {
    const shell = await open('open-door');
    const count = shell.prompts;
    shell.write('mongosh mongodb://db.cloudpets.test:27017/cloudpets\r');
    await shell.until(() => /cloudpets> $/.test(shell.text), 'the mongosh prompt');
    shell.write('show dbs\r');
    await shell.until(() => /cloudpets\s+\d[\s\S]*cloudpets> $/.test(shell.text), 'the database list');
    shell.write('db.users.findOne()\r');
    await shell.until(() => /email: '[^']+@example\.com'[\s\S]*cloudpets> $/.test(shell.text), 'an account');
    shell.write('exit\r');
    await shell.until(() => shell.prompts > count, 'the lab shell prompt after exit');
    // The lab shell's own line editor is back: it runs the next line.
    expect((await shell.type('echo back in the lab shell')).output).toMatch(/^back in the lab shell$/m);
  });

  it('Ctrl+C stops crack and the prompt comes back', async () => {
    const shell = await open('cracking');
    await shell.type('mongoexport --uri mongodb://db.cloudpets.test:27017 --db cloudpets --collection users --out downloads/users.jsonl');
    const count = shell.prompts;
    shell.write('crack --hashes downloads/users.jsonl --field password --status-timer 1\r');
    await shell.until(() => /Status\.+: Running/.test(shell.text), 'crack running');
    shell.write('\x03');
    await shell.until(() => shell.prompts > count, 'the prompt after Ctrl+C', 30_000);
    expect(shell.text).toMatch(/Status\.+: Aborted/);
    // crack stops gracefully (its final status block) and exits with its own "aborted" code.
    expect((await shell.type('echo $?')).output).toMatch(/^[1-9]\d*$/m);
    expect((await shell.type('echo still here')).output).toMatch(/^still here$/m);
  });

  it('notices a world killed outright and brings it back with world restart and with checks', async () => {
    const shell = await open('recon');
    const pidOf = async (): Promise<number> => {
      const { output } = await shell.type('world status');
      const pid = Number(/running \(pid (\d+)\)/.exec(output)?.[1]);
      expect(pid, output).toBeGreaterThan(0);
      return pid;
    };
    await shell.type('world start');
    const first = await pidOf();
    process.kill(first, 'SIGKILL'); // the test plays the crash
    await new Promise((done) => setTimeout(done, 500));
    // Noticed through the child's exit event, and said before the next prompt.
    const next = (await shell.type('echo next')).output;
    expect(next).toMatch(/^next$/m);
    expect(next).toMatch(/the lab services stopped unexpectedly \(signal SIGKILL\); type world restart/);
    expect((await shell.type('world status')).output).toMatch(/not running/);
    expect((await shell.type('world restart')).output).toMatch(/lab services restarted/);
    const second = await pidOf();
    expect(second).not.toBe(first);
    process.kill(second, 'SIGKILL');
    await new Promise((done) => setTimeout(done, 500));
    const { output } = await shell.type('checks --json');
    const report = JSON.parse(output.split('\n').find((line) => line.startsWith('{'))!) as { results: { id: string; pass: boolean }[] };
    expect(report.results.find((r) => r.id === 'services-start')?.pass).toBe(true);
    expect(await pidOf()).not.toBe(second);
  });
});
