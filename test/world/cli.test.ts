import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempLab } from './helpers.ts';

const TSX = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');
const CLI = join(process.cwd(), 'sandboxes', 'world', 'cli.ts');

function run(args: string[]): { child: ReturnType<typeof spawn>; firstLine: Promise<string>; exit: Promise<{ code: number | null; stderr: string; stdout: string }> } {
  const child = spawn(process.execPath, [TSX, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let resolveLine: (line: string) => void;
  const firstLine = new Promise<string>((r) => (resolveLine = r));
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (stdout.includes('\n')) resolveLine(stdout.split('\n')[0]!);
  });
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<{ code: number | null; stderr: string; stdout: string }>((r) => child.on('exit', (code) => r({ code, stderr, stdout })));
  return { child, firstLine, exit };
}

describe('npm run world', () => {
  it('prints one JSON line of addresses when ready and stops cleanly on SIGTERM', async () => {
    const lab = tempLab();
    const { child, firstLine, exit } = run(['--lab', join(lab.dir, 'fresh'), '--users', '120']);
    const line = await Promise.race([firstLine, exit.then((e) => Promise.reject(new Error(`exited early: ${e.stderr}`)))]);
    const addresses = JSON.parse(line);
    expect(Object.keys(addresses).sort()).toEqual(['api', 'bucket', 'db', 'labDir', 'network']);
    expect(addresses.db).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+$/);
    expect(addresses.bucket).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(addresses.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(addresses.network)).toBe(true);
    // The fresh folder got the 2016 starting files.
    expect(readFileSync(join(addresses.labDir, 'mongod.conf'), 'utf8')).toMatch(/bindIp: 0\.0\.0\.0/);
    expect(readFileSync(join(addresses.labDir, 'api', 'app.js'), 'utf8')).toContain('return recording.url;');
    const banner = await fetch(addresses.api);
    expect(banner.status).toBe(200);
    child.kill('SIGTERM');
    const result = await exit;
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    await expect(fetch(addresses.api)).rejects.toThrow();
    lab.cleanup();
  });

  it('without --lab it uses a temporary lab folder and removes it on Ctrl+C', async () => {
    const { child, firstLine, exit } = run(['--users', '50']);
    const addresses = JSON.parse(await firstLine);
    expect(existsSync(join(addresses.labDir, '.lab', 'seeded.json'))).toBe(true);
    child.kill('SIGINT');
    expect((await exit).code).toBe(0);
    expect(existsSync(addresses.labDir)).toBe(false);
  });

  it('bad arguments exit 2 with the usage; a broken lab exits 1 naming the file', async () => {
    const bad = await run(['--users', 'many']).exit;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("world: --users must be a whole number >= 1, got 'many'");
    expect(bad.stderr).toContain("Try 'npm run world -- --help'");
    const lab = tempLab();
    writeFileSync(join(lab.dir, 'mongod.conf'), 'net:\n  bindIp: 0.0.0.0\n  port: "twenty"\n');
    const broken = await run(['--lab', lab.dir, '--users', '10']).exit;
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/world: could not start: .*port/);
    expect(broken.stdout).toBe('');
    lab.cleanup();
  }, 60_000);
});
