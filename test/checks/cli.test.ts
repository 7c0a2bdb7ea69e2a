/**
 * The two entry points as a learner and a runtime use them: `npm run checks -- <lab>`
 * (sandboxes/checks/cli.ts) and, inside a lab folder, `world start` + `checks --json`
 * (the .lab/bin commands the runtimes put on PATH).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLabFolder, labShellEnv } from '../../sandboxes/lab-folder/assemble.ts';
import { stopLabWorld } from '../../sandboxes/lab-session/session.ts';
import type { CheckReport } from '../../sandboxes/checks/types.ts';

const ROOT = join(import.meta.dirname, '../..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const run = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  spawnSync(process.execPath, ['--import', TSX, ...args], { cwd: options.cwd ?? ROOT, env: options.env ?? { ...process.env, NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 180_000 });

describe('npm run checks -- <lab>', () => {
  it('explains its usage and refuses an unknown lab or option with exit 2', () => {
    const help = run(['sandboxes/checks/cli.ts', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/labs: recon, open-door, recordings, cracking, ransom, lock-database, lock-bucket, password-policy, detect-and-respond, capstone/);
    const unknown = run(['sandboxes/checks/cli.ts', 'open-doors']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no lab called "open-doors"/);
    expect(run(['sandboxes/checks/cli.ts', 'recon', '--fast']).stderr).toMatch(/unknown option --fast/);
    expect(run(['sandboxes/checks/cli.ts', 'recon', '--users', 'many']).status).toBe(2);
  });

  it('prints a JSON report and exits 1 when checks fail (recon, starting files)', () => {
    const result = run(['sandboxes/checks/cli.ts', 'recon', '--json', '--users', '60']);
    expect(result.status, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(report).toMatchObject({ lab: 'recon', kind: 'attack', passed: false });
    expect(report.results.find((r) => r.id === 'findings-host')).toMatchObject({ pass: false, reason: 'findings.txt has no "host:" line yet', lessonAnchor: '02-recon#step-3-record-your-findings' });
  });
});

describe('inside a lab folder: world start, checks --json, world stop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-cli-'));
  afterAll(async () => {
    await stopLabWorld(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the world in the background, runs the checks as JSON from a subfolder, and stops it', () => {
    createLabFolder('recon', dir, { world: { users: 60 } });
    const env = labShellEnv(dir);
    const sh = (command: string, cwd = dir) => spawnSync('sh', ['-c', command], { cwd, env, encoding: 'utf8', timeout: 180_000 });

    const started = sh('world start --json');
    expect(started.status, started.stderr).toBe(0);
    const info = JSON.parse(started.stdout) as { ok: boolean; world: { pid: number; status: string } };
    expect(info).toMatchObject({ ok: true, world: { status: 'ready' } });
    expect(existsSync(join(dir, '.lab', 'world.pid'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, '.lab', 'world.json'), 'utf8')).status).toBe('ready');
    expect(sh('world status').status).toBe(0);

    // the learner does the lab: scan, then write findings
    expect(sh('scan db.cloudpets.test').status).toBe(0);
    const version = /version: (\S+)/.exec(sh('scan db.cloudpets.test').stdout)?.[1];
    sh(`printf 'host: db.cloudpets.test\\nport: 27017\\nversion: ${version}\\n' > findings.txt`);

    const checks = sh('mkdir -p downloads && cd downloads && checks --json');
    expect(checks.status, checks.stderr).toBe(0);
    const report = JSON.parse(checks.stdout) as CheckReport;
    expect(report).toMatchObject({ lab: 'recon', passed: true, passedCount: report.total });

    const human = sh('checks');
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/✔ PASS {2}Your scan reached the database/);
    expect(human.stdout).toMatch(/All 6 checks pass\./);

    expect(sh('world stop').status).toBe(0);
    expect(existsSync(join(dir, '.lab', 'world.pid'))).toBe(false);
    expect(sh('world status').status).toBe(1);
  });

  it('outside a lab folder, checks says where to go', () => {
    const outside = spawnSync('sh', ['-c', `"${join(dir, '.lab', 'bin', 'checks')}" --json`], { cwd: tmpdir(), encoding: 'utf8', env: labShellEnv(dir) });
    expect(outside.status).toBe(2);
    expect(JSON.parse(outside.stdout).error).toMatch(/not inside a lab folder/);
  });

  it('with a broken mongod.conf, world start says why and checks --json reports it, exit 1', () => {
    const broken = mkdtempSync(join(tmpdir(), 'lab-cli-broken-'));
    try {
      createLabFolder('lock-database', broken, { world: { users: 30 } });
      writeFileSync(join(broken, 'mongod.conf'), readFileSync(join(broken, 'mongod.conf'), 'utf8').replace('authorization: disabled', 'authorisation: enabled'));
      const env = labShellEnv(broken);
      const start = spawnSync('sh', ['-c', 'world start --json'], { cwd: broken, env, encoding: 'utf8', timeout: 120_000 });
      expect(start.status).toBe(1);
      const said = JSON.parse(start.stdout) as { ok: boolean; error: string };
      expect(said.ok).toBe(false);
      expect(said.error).toMatch(/authorisation/);
      const checks = spawnSync('sh', ['-c', 'checks --json'], { cwd: broken, env, encoding: 'utf8', timeout: 120_000 });
      expect(checks.status).toBe(1);
      const report = JSON.parse(checks.stdout) as CheckReport;
      expect(report.results.find((r) => r.id === 'services-start')).toMatchObject({ pass: false, reason: expect.stringMatching(/^mongod\.conf: .*authorisation/) });
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
