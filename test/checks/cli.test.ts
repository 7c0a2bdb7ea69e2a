/**
 * The entry points as a learner and a runtime use them: `npm run checks -- <lab>`
 * (sandboxes/lab-shell/checks-cli.ts) and, inside a lab folder, the lab shell (`world`,
 * `checks --json` typed into it) and `lab-control` (the runtimes' lab operations).
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLabFolder } from '../../sandboxes/lab-folder/assemble.ts';
import { findLab } from '../../sandboxes/labs/registry.ts';
import type { CheckReport } from '../../sandboxes/checks/types.ts';
import { READY_SIGNAL, startPipedShell } from '../lab-shell/piped-shell.ts';

const ROOT = join(import.meta.dirname, '../..');
/** What `npm run checks` runs (package.json). */
const CHECKS_CLI = 'sandboxes/lab-shell/checks-cli.ts';
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const run = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  spawnSync(process.execPath, ['--import', TSX, ...args], { cwd: options.cwd ?? ROOT, env: options.env ?? { ...process.env, NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 180_000 });

describe('npm run checks -- <lab>', () => {
  it('explains its usage and refuses an unknown lab or option with exit 2, saying what to fix', () => {
    // the program `npm run checks` runs
    expect((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.checks).toMatch(/ tsx sandboxes\/lab-shell\/checks-cli\.ts$/);
    const help = run([CHECKS_CLI, '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run checks -- <lab>/);
    expect(help.stdout).toMatch(/one of: recon, open-door, recordings, ransom, cracking, lock-database, lock-bucket, password-policy, detect-and-respond, capstone/);
    const refusals: [string[], string][] = [
      [['open-doors'], 'checks: no lab called "open-doors"; the labs are: recon, open-door, recordings, ransom, cracking, lock-database, lock-bucket, password-policy, detect-and-respond, capstone'],
      [['recon', '--fast'], "checks: unknown option '--fast'"],
      [['recon', '--users', 'many'], "checks: --users must be a whole number >= 1, got 'many'"],
      [['recon', '--seed', '4294967296'], "checks: --seed must be a whole number from 0 to 4294967295 (a learner seed), got '4294967296'"],
      [[], 'checks: missing <lab>'],
      [['recon', 'ransom'], "checks: unexpected argument 'ransom'"],
    ];
    for (const [args, message] of refusals) {
      const refused = run([CHECKS_CLI, ...args]);
      expect(refused.status, args.join(' ')).toBe(2);
      // what to fix, then how to ask for help in the form that works from the project folder
      // (inside a lab folder, `checks` is the lab shell's own command)
      expect(refused.stderr, args.join(' ')).toBe(`${message}\nTry 'npm run checks -- --help' for the list of options.\n`);
      expect(refused.stdout).toBe('');
    }
  });

  it('prints a JSON report and exits 1 when checks fail (recon, starting files)', () => {
    const result = run([CHECKS_CLI, 'recon', '--json', '--users', '60']);
    expect(result.status, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(report).toMatchObject({ lab: 'recon', kind: 'attack', passed: false });
    expect(report.results.find((r) => r.id === 'findings-host')).toMatchObject({ pass: false, reason: 'findings.txt has no "host:" line yet', lessonAnchor: '02-recon#step-3-record-your-findings' });
  });
});

/** The lab shell from the sources with its input on a pipe. */
const startShell = (dir: string, cwd = dir) =>
  startPipedShell(process.execPath, ['--import', TSX, join(ROOT, 'sandboxes/lab-shell/main.ts')], { cwd, env: { PATH: process.env.PATH, NODE_OPTIONS: '' } });

const control = (dir: string, op: string) => run([join(ROOT, 'sandboxes/lab-session/lab-control.ts'), op], { cwd: dir });

describe('inside a lab folder: the lab shell and lab-control', () => {
  // Real worlds and checks: slow on two busy cores, not wrong.
  vi.setConfig({ testTimeout: 240_000 });
  const dir = mkdtempSync(join(tmpdir(), 'lab-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the world as its child, answers lab-control, writes the report, and stops it all on exit', async () => {
    createLabFolder(findLab('recon')!.meta, dir, { world: { users: 60 } });
    expect(control(dir, 'status').status, 'no shell yet').toBe(3);
    mkdirSync(join(dir, 'downloads'));
    const shell = startShell(dir);
    // The first prompt comes at once; the world starts behind it.
    await shell.type('echo ready');
    expect(shell.output()).toContain(READY_SIGNAL);
    expect(existsSync(join(dir, '.lab', 'control.json'))).toBe(true);
    expect(await shell.type('world start --json')).toMatch(/"ok":true/);
    const status = control(dir, 'status');
    expect(status.status, status.stderr).toBe(0);
    const said = JSON.parse(status.stdout) as { ok: boolean; world: { status: string; pid: number } };
    expect(said).toMatchObject({ ok: true, world: { status: 'ready' } });
    expect(await shell.type('world status')).toMatch(/lab services running/);

    // the learner does the lab: scan, then write findings
    const scan = await shell.type('scan db.cloudpets.test');
    const version = /version: (\S+)/.exec(scan)?.[1];
    expect(version).toBeDefined();
    await shell.type(`printf 'host: db.cloudpets.test\\nport: 27017\\nversion: %s\\n' ${version} > findings.txt`);
    expect(readFileSync(join(dir, 'findings.txt'), 'utf8')).toBe(`host: db.cloudpets.test\nport: 27017\nversion: ${version}\n`);

    const json = await shell.type('cd downloads && checks --json');
    const report = JSON.parse(json.trim().split('\n').at(-1)!) as CheckReport;
    expect(report).toMatchObject({ lab: 'recon', passed: true, passedCount: report.total });
    expect(JSON.parse(readFileSync(join(dir, '.lab', 'reports', 'last.json'), 'utf8'))).toMatchObject({ lab: 'recon', passed: true });

    const human = await shell.type('checks');
    expect(human).toMatch(/✔ PASS {2}Your scan reached the database/);
    expect(human).toMatch(/All 6 checks pass\./);

    const checked = control(dir, 'run-checks');
    expect(checked.status).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ lab: 'recon', passed: true });
    const restarted = control(dir, 'restart-world');
    expect(restarted.status).toBe(0);
    expect(JSON.parse(restarted.stdout).world.pid).not.toBe(said.world.pid);

    expect(await shell.type('world stop')).toMatch(/lab services stopped/);
    expect(await shell.type('world status')).toBe('');
    await shell.type('exit 0');
    expect(await shell.exited).toBe(0);
    expect(existsSync(join(dir, '.lab', 'control.json'))).toBe(false);
    expect(control(dir, 'status').status).toBe(3);
  });

  it('outside a lab folder, the lab shell says where to go', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'not-a-lab-'));
    try {
      const shell = startShell(outside);
      expect(await shell.exited).toBe(2);
      expect(shell.errors()).toMatch(/not inside a lab folder/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('with a broken mongod.conf, world restart says why and checks --json reports it, exit 1', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'lab-cli-broken-'));
    try {
      createLabFolder(findLab('lock-database')!.meta, broken, { world: { users: 30 } });
      writeFileSync(join(broken, 'mongod.conf'), readFileSync(join(broken, 'mongod.conf'), 'utf8').replace('authorization: disabled', 'authorisation: enabled'));
      const shell = startShell(broken);
      const start = await shell.type('world restart --json; echo "exit $?"');
      expect(start).toMatch(/exit 1/);
      const said = JSON.parse(start.split('\n')[0]!) as { ok: boolean; error: string };
      expect(said.ok).toBe(false);
      expect(said.error).toMatch(/authorisation/);
      const checks = await shell.type('checks --json; echo "exit $?"');
      expect(checks).toMatch(/exit 1/);
      const report = JSON.parse(checks.split('\n')[0]!) as CheckReport;
      expect(report.results.find((r) => r.id === 'services-start')).toMatchObject({ pass: false, reason: expect.stringMatching(/^mongod\.conf: .*authorisation/) });
      const restart = control(broken, 'restart-world');
      expect(restart.status).toBe(1);
      expect(JSON.parse(restart.stdout)).toMatchObject({ ok: false, error: expect.stringMatching(/authorisation/) });
      shell.end();
      expect(await shell.exited).toBe(0);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
