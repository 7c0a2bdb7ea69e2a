/**
 * CONTRIBUTING.md's examples (a tool, a database command, a lab) still work: the example files
 * (fixtures/, the same code the guide shows) go into a copy of sandboxes/ with the registry
 * lines the guide tells a newcomer to add, and then what the guide promises is tried for real:
 * they typecheck, the tool runs, the official driver gets the command's answer, the lab's
 * checks fail on the starting files and pass on the solution, and the lab shell of
 * `npm run lab` offers the tool and the command. The lesson example is not repeated here: it
 * needs the site's renderer, and test/lessons holds every real lesson to the same rules.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import type { CheckReport } from '../../sandboxes/checks/types.ts';
import { startPipedShell } from '../lab-shell/piped-shell.ts';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = join(import.meta.dirname, 'fixtures');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const env = { PATH: process.env.PATH, NODE_OPTIONS: '' };

/** The edit the guide asks for in a registry file: `line` goes in just before `before`. */
function insertBefore(file: string, before: string, line: string): void {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(before);
  if (at < 0) throw new Error(`${file} no longer has "${before}": update this test and CONTRIBUTING.md's example`);
  writeFileSync(file, text.slice(0, at) + line + text.slice(at));
}

describe("CONTRIBUTING.md's examples, added to a copy of the sources", () => {
  // Real worlds start for the checks and the lab shell: slow on two busy cores, not wrong.
  vi.setConfig({ testTimeout: 240_000, hookTimeout: 60_000 });
  let copy: string;
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', TSX, ...args], { cwd: copy, env, encoding: 'utf8', timeout: 180_000 });

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'contributing-examples-'));
    cpSync(join(ROOT, 'sandboxes'), join(copy, 'sandboxes'), { recursive: true });
    for (const file of ['package.json', 'tsconfig.json']) cpSync(join(ROOT, file), join(copy, file));
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    // 1. The files the guide shows.
    cpSync(join(FIXTURES, 'sandboxes'), join(copy, 'sandboxes'), { recursive: true });
    // 2. The lines it says to add.
    insertBefore(join(copy, 'sandboxes/tools/index.ts'), '];\n\nexport type', `  { name: 'whois', entry: 'sandboxes/tools/whois/cli.ts', summary: 'who owns a lab address', load: async () => (await import('./whois/whois.ts')).whoisMain },\n`);
    const commands = join(copy, 'sandboxes/database/commands/registry.ts');
    insertBefore(commands, "import { dbStats }", "import { dataSize } from './data-size.ts';\n");
    insertBefore(commands, '  { handler: dbStats,', "  { handler: dataSize, help: 'Returns the size in bytes and the document count of a collection.' },\n");
    const labs = join(copy, 'sandboxes/labs/registry.ts');
    insertBefore(labs, 'import type { LabDefinition }', "import bindLocalhost from './bind-localhost/lab.ts';\n");
    insertBefore(labs, '];\n\nexport function findLab', ', bindLocalhost');
    // 3. The reference solution: the starting mongod.conf with bindIp 127.0.0.1.
    const conf = readFileSync(join(copy, 'sandboxes/world/starting/mongod.conf'), 'utf8');
    expect(conf).toContain('bindIp: 0.0.0.0');
    cpSync(join(copy, 'sandboxes/world/starting/mongod.conf'), join(copy, 'sandboxes/labs/bind-localhost/solution/mongod.conf'), { recursive: true });
    writeFileSync(join(copy, 'sandboxes/labs/bind-localhost/solution/mongod.conf'), conf.replace('bindIp: 0.0.0.0', 'bindIp: 127.0.0.1'));
  });
  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('typecheck with the sources (tsc, strict)', () => {
    writeFileSync(
      join(copy, 'tsconfig.examples.json'),
      JSON.stringify({ extends: './tsconfig.json', include: ['sandboxes/tools/index.ts', 'sandboxes/tools/whois/**/*', 'sandboxes/database/commands/**/*', 'sandboxes/labs/**/*'], exclude: ['sandboxes/**/starting/**', 'sandboxes/**/solution/**'] }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.examples.json'], { cwd: copy, env, encoding: 'utf8', timeout: 180_000 });
    expect(tsc.stdout + tsc.stderr, 'tsc').toBe('');
    expect(tsc.status).toBe(0);
  });

  it('the tool runs as a program: an answer, and exit 2 with one line for a bad option', () => {
    expect(run(['sandboxes/tools/whois/cli.ts', 'db.cloudpets.test'])).toMatchObject({ status: 0, stdout: 'db.cloudpets.test 203.0.113.10 (database)\n' });
    expect(run(['sandboxes/tools/whois/cli.ts', '--nope'])).toMatchObject({ status: 2, stderr: "whois: unknown option '--nope'\nTry 'whois --help' for the list of options.\n" });
  });

  it('the database command answers the official driver', async () => {
    const server = spawn(process.execPath, ['--import', TSX, 'sandboxes/database/cli.ts', '--port', '0'], { cwd: copy, env, stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        server.on('exit', (code) => reject(new Error(`npm run db exited with ${code}`)));
      });
      const client = new MongoClient((JSON.parse(line) as { uri: string }).uri, { serverSelectionTimeoutMS: 10_000 });
      try {
        await client.db('sizes').collection('notes').insertMany([{ a: 1 }, { a: 2 }]);
        const reply = await client.db('admin').command({ dataSize: 'sizes.notes' });
        expect(reply).toMatchObject({ numObjects: 2, ok: 1 });
        expect(reply.size).toBeGreaterThan(0);
        const { commands } = await client.db('admin').command({ listCommands: 1 });
        expect(commands.dataSize).toEqual({ help: 'Returns the size in bytes and the document count of a collection.', requiresAuth: true });
      } finally {
        await client.close();
      }
    } finally {
      server.kill();
    }
  });

  it("the lab's checks fail on the starting files and pass with the reference solution (npm run checks)", () => {
    const start = run(['sandboxes/lab-shell/checks-cli.ts', 'bind-localhost', '--users', '60', '--json']);
    expect(start.status, start.stderr).toBe(1);
    const failing = (JSON.parse(start.stdout) as CheckReport).results.filter((r) => !r.pass).map((r) => r.id);
    expect(failing).toEqual(['localhost-only']);
    const solved = run(['sandboxes/lab-shell/checks-cli.ts', 'bind-localhost', '--users', '60', '--json', '--solution']);
    expect(solved.status, solved.stdout + solved.stderr).toBe(0);
  });

  it("the lab shell of npm run lab offers the tool and reaches the command through the learner's mongosh", async () => {
    const shell = startPipedShell(process.execPath, ['--import', TSX, 'sandboxes/lab-shell/open-lab.ts', 'bind-localhost', '--users', '60', '--dir', join(copy, 'lab')], { cwd: copy, env });
    try {
      expect(await shell.type('help')).toContain('  whois ');
      expect(await shell.type('whois 203.0.113.20')).toBe('bucket.cloudpets.test 203.0.113.20 (bucket)\n');
      expect(await shell.type(`mongosh mongodb://db.cloudpets.test:27017/cloudpets --quiet --eval 'db.runCommand({ dataSize: "cloudpets.users" }).numObjects'`)).toBe('60\n');
      shell.end();
      expect(await shell.exited).toBe(0);
    } finally {
      shell.kill();
    }
  });
});
