/**
 * `npm run db -- --config FILE [--port N]` as a separate process: one JSON line with the URI,
 * a working server behind it, a clean stop on SIGTERM and SIGINT, and exit code 2 with
 * mongod's wording for a broken config (data left as it was).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { repoRoot, scratchDir } from './support/harness.ts';

function startCli(args: string[]) {
  const child = spawn(join(repoRoot, 'node_modules/.bin/tsx'), [join(repoRoot, 'sandboxes/database/cli.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing: ${stderr}`)));
  });
  // Not every test waits for the line; a process that exits first must not be an unhandled rejection.
  firstLine.catch(() => {});
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, exited, stderr: () => stderr };
}

describe('database CLI', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints one JSON line with the URI, serves the driver, and stops cleanly on ${signal}`, async () => {
      const { dir, cleanup } = scratchDir();
      try {
        const configPath = join(dir, 'mongod.conf');
        writeFileSync(configPath, 'storage:\n  dbPath: ./data\nsystemLog:\n  destination: file\n  path: ./mongod.log\n');
        const cli = startCli(['--config', configPath, '--port', '0']);
        const info = JSON.parse(await cli.firstLine) as { uri: string; listeners: { port: number }[] };
        expect(info.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+$/);
        expect(info.listeners[0]!.port).toBeGreaterThan(0);
        const client = new MongoClient(info.uri, { serverSelectionTimeoutMS: 5000 });
        await client.db('shop').collection('pets').insertOne({ name: 'Bella' });
        await client.close();
        cli.child.kill(signal);
        expect(await cli.exited).toBe(0);
        const log = readFileSync(join(dir, 'mongod.log'), 'utf8');
        expect(log).toContain('"msg":"Shutting down"');
      } finally {
        cleanup();
      }
    });
  }

  it('exits with code 2 and mongod\'s message for a broken config, leaving the data alone', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      mkdirSync(join(dir, 'data'));
      writeFileSync(join(dir, 'data', 'lab-journal.bson'), 'keep me');
      const configPath = join(dir, 'mongod.conf');
      writeFileSync(configPath, 'storage:\n  dbPath: ./data\nnet:\n  port: twenty\n');
      const cli = startCli(['--config', configPath, '--port', '0']);
      expect(await cli.exited).toBe(2);
      expect(cli.stderr()).toContain('Error parsing option "net.port" as int in: "twenty" (line 4)');
      expect(readdirSync(join(dir, 'data'))).toEqual(['lab-journal.bson']);
      expect(readFileSync(join(dir, 'data', 'lab-journal.bson'), 'utf8')).toBe('keep me');
      const badPort = startCli(['--config', configPath, '--port', 'abc']);
      expect(await badPort.exited).toBe(2);
      expect(badPort.stderr()).toContain('"--port"');
    } finally {
      cleanup();
    }
  });
});
