/**
 * `npm run lab -- <lab>` (sandboxes/lab-shell/open-lab.ts), the way CONTRIBUTING tells a
 * contributor to try a change: a lab folder made from the sources, the lab shell on it with
 * every tool of LAB_TOOLS, the world behind the prompt, and the folder kept for --dir.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LAB_TOOLS } from '../../sandboxes/tools/index.ts';
import { startPipedShell } from './piped-shell.ts';

const ROOT = join(import.meta.dirname, '../..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const OPEN_LAB = join(ROOT, 'sandboxes/lab-shell/open-lab.ts');
const env = { PATH: process.env.PATH, NODE_OPTIONS: '' };
const run = (args: string[]) => spawnSync(process.execPath, ['--import', TSX, OPEN_LAB, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });

describe('npm run lab -- <lab>', () => {
  // A real world starts behind the prompt: slow on two busy cores, not wrong.
  vi.setConfig({ testTimeout: 240_000 });
  const scratch = mkdtempSync(join(tmpdir(), 'open-lab-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('refuses a missing or unknown lab, a bad number and a folder that holds something else, with exit 2', () => {
    expect(run(['--help'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^Usage: npm run lab -- <lab>/) });
    expect(run([])).toMatchObject({ status: 2, stderr: "lab: missing <lab>\nTry 'npm run lab -- --help' for the list of options.\n" });
    expect(run(['open-doors'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/no lab called "open-doors"/) });
    expect(run(['recon', '--users', 'many'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^lab: --users must be a whole number >= 1, got 'many'\n/) });
    expect(run(['recon', '--fast'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^lab: unknown option '--fast'/) });
    const busy = join(scratch, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    expect(run(['recon', '--dir', busy])).toMatchObject({ status: 2, stderr: expect.stringMatching(/is not empty and holds no lab/) });
    expect(readFileSync(join(busy, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('opens the lab shell on a fresh lab folder with every lab tool, runs the checks there, and reopens the folder with --dir', async () => {
    const dir = join(scratch, 'recon');
    const shell = startPipedShell(process.execPath, ['--import', TSX, OPEN_LAB, 'recon', '--users', '60', '--dir', dir], { cwd: ROOT, env });
    try {
      const help = await shell.type('help');
      for (const tool of LAB_TOOLS) expect(help, tool.name).toContain(`  ${tool.name} `);
      expect(await shell.type('scan db.cloudpets.test --open')).toMatch(/27017\/tcp +open +mongodb/);
      expect(await shell.type('checks --json > report.json; echo $?')).toBe('1\n');
      expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toMatchObject({ lab: 'recon', passed: false });
      shell.end();
      expect(await shell.exited).toBe(0);
    } finally {
      shell.kill();
    }
    expect(shell.errors()).toContain(`Lab folder: ${dir}`);
    expect(JSON.parse(readFileSync(join(dir, '.lab', 'lab.json'), 'utf8'))).toMatchObject({ id: 'recon', world: { users: 60 } });

    expect(run(['open-door', '--dir', dir])).toMatchObject({ status: 2, stderr: expect.stringMatching(/holds the lab "recon", not "open-door"/) });
    const again = startPipedShell(process.execPath, ['--import', TSX, OPEN_LAB, 'recon', '--dir', dir], { cwd: ROOT, env });
    try {
      expect(await again.type('ls report.json')).toBe('report.json\n');
      again.end();
      expect(await again.exited).toBe(0);
    } finally {
      again.kill();
    }
    expect(again.errors()).toContain(`Reopening the lab folder ${dir}`);
  });
});
