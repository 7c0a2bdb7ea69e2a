/**
 * Every tool in the index runs as a program: through tsx from its entry (how the repository
 * runs it), and as the single esbuild bundle the lab puts on PATH (plain node, no node_modules).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_TOOLS } from '../../sandboxes/tools/index.ts';
import { startHttpFixture, type HttpFixture } from './support/http-fixture.ts';
import { startLabDatabase, type LabDatabase } from './support/lab-database.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
let bundleDir: string;
let http: HttpFixture;
let mapPath: string;
let database: LabDatabase;

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: bundleDir, timeout: 60_000, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  bundleDir = mkdtempSync(join(tmpdir(), 'cloudpets-tool-bundles-'));
  http = await startHttpFixture();
  database = await startLabDatabase();
  await database.client.db('cloudpets').collection('users').insertOne({ email: 'bundle@example.com' });
  mapPath = join(bundleDir, 'network.json');
  writeFileSync(
    mapPath,
    JSON.stringify({
      hosts: { 'bucket.cloudpets.test': { address: '203.0.113.20', ports: { '80': { host: '127.0.0.1', port: http.port } } }, ...database.mapEntry() },
      appLocal: {},
    }),
  );
});
afterAll(async () => {
  await http?.close();
  await database?.close();
  rmSync(bundleDir, { recursive: true, force: true });
});

describe('the tool index', () => {
  it('lists each tool once, from its own folder, each loadable as an in-process function', async () => {
    const names = LAB_TOOLS.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['scan', 'mongosh', 'curl', 'mongoexport', 'crack', 'ransom-bot', 'dbhost']));
    expect(new Set(names).size, names.join(', ')).toBe(names.length);
    for (const tool of LAB_TOOLS) {
      expect(tool.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(tool.entry).toBe(`sandboxes/tools/${tool.name}/cli.ts`);
      const main = await tool.load();
      const out: string[] = [];
      const sink = { write: (text: string | Uint8Array) => void out.push(String(text)) };
      const code = await main(['--help'], { stdout: sink, stderr: sink, stdin: process.stdin, env: {}, cwd: bundleDir });
      expect(code, tool.name).toBe(0);
      expect(out.join('')).toMatch(/^Usage: /);
    }
  });

  for (const tool of LAB_TOOLS) {
    it(`${tool.name}: runs from ${tool.entry} with tsx and as one esbuild bundle`, async () => {
      const viaTsx = await run(tsx, [join(root, tool.entry), '--help']);
      expect(viaTsx.code, viaTsx.stderr).toBe(0);
      expect(viaTsx.stdout).toMatch(/^Usage: /);
      expect(viaTsx.stdout).toMatch(/Exit codes/);

      const outfile = join(bundleDir, `${tool.name}.mjs`);
      const result = await build({
        entryPoints: [join(root, tool.entry)],
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile,
        logLevel: 'silent',
        // The driver is CommonJS and calls require(); an ESM bundle needs one.
        banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      });
      expect(result.errors).toEqual([]);
      const bundled = await run(process.execPath, [outfile, '--help']);
      expect(bundled.code, bundled.stderr).toBe(0);
      expect(bundled.stdout).toBe(viaTsx.stdout);
    });
  }

  it('passes exit codes and binary output through the process', async () => {
    const outfile = join(bundleDir, 'curl.mjs');
    const ok = await run(process.execPath, [outfile, '-s', 'http://bucket.cloudpets.test/recordings/hello.wav'], { CLOUDPETS_NETWORK: mapPath });
    expect(ok.code).toBe(0);
    const unknown = await run(process.execPath, [outfile, 'http://nowhere.test/'], { CLOUDPETS_NETWORK: mapPath });
    expect(unknown.code).toBe(6);
    expect(unknown.stderr).toBe('curl: (6) Could not resolve host: nowhere.test\n');
  });

  it('talks to the database from the bundled mongosh (the driver works bundled)', async () => {
    const shell = await run(process.execPath, [join(bundleDir, 'mongosh.mjs'), '--quiet', 'db.cloudpets.test/cloudpets', '--eval', 'db.users.findOne().email'], { CLOUDPETS_NETWORK: mapPath });
    expect(shell.stderr).toBe('');
    expect(shell.stdout).toBe('bundle@example.com\n');
  });
});
