import bcrypt from 'bcryptjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crackMain } from '../../sandboxes/tools/crack/crack.ts';
import { TINY_WORDLIST } from '../../sandboxes/tools/crack/tiny-wordlist.ts';
import { WEAK_PASSWORDS } from '../../sandboxes/world/dataset/weak-passwords.ts';
import { tempLab, type TempLab } from './support/tool-harness.ts';

// A cost-10 hash made once with bcryptjs from the known pair ("cloudpets"), as the dataset stores them.
const COST_10_CLOUDPETS = '$2b$10$2CoFhSzrsw4Bo3FK/KODa.AzH7QROnXaoQC8YPpg5RLdaKmnDHV9q';

let lab: TempLab;
const weak = { qwe: '', password: '', strong: '' };

beforeAll(() => {
  lab = tempLab();
  // Cost 4 keeps the test quick; the code path is the same as for cost 10.
  weak.qwe = bcrypt.hashSync('qwe', 4);
  weak.password = bcrypt.hashSync('password', 4);
  weak.strong = bcrypt.hashSync('correct horse battery staple', 4);
  writeFileSync(join(lab.dir, 'hashes.txt'), [weak.qwe, weak.strong, weak.password].join('\n') + '\n');
  writeFileSync(
    join(lab.dir, 'users.jsonl'),
    [
      { _id: { $oid: '5a0000000000000000000001' }, email: 'anna@example.com', password: weak.strong },
      { _id: { $oid: '5a0000000000000000000002' }, email: 'ben@example.com', password: weak.qwe },
      { _id: { $oid: '5a0000000000000000000003' }, email: 'cara@example.com', password: COST_10_CLOUDPETS },
    ]
      .map((doc) => JSON.stringify(doc))
      .join('\n') + '\n',
  );
});
afterAll(() => lab.cleanup());

describe('crack', () => {
  it('prints --help that explains why bcrypt is slow and the exit codes', async () => {
    const run = await lab.run(crackMain, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/its own random salt/);
    expect(run.stdout).toMatch(/Exit codes/);
  });

  it('ships tiny.txt with the same words as the built-in list', () => {
    const file = fileURLToPath(new URL('../../sandboxes/tools/crack/wordlists/tiny.txt', import.meta.url));
    expect(readFileSync(file, 'utf8').trim().split('\n')).toEqual([...TINY_WORDLIST]);
    for (const word of ['qwe', 'cloudpets', '123456', 'password', 'qwerty']) expect(TINY_WORDLIST).toContain(word);
  });

  it('cracks weak cost-4 hashes from a plain file and prints hash:password and a status block', async () => {
    const run = await lab.run(crackMain, ['--hashes', 'hashes.txt', '--out', 'cracked.txt']);
    expect(run.code).toBe(1); // exhausted: the strong one survives
    expect(run.stdout).toContain(`${weak.qwe}:qwe\n`);
    expect(run.stdout).toContain(`${weak.password}:password\n`);
    expect(run.stdout).not.toContain(`${weak.strong}:`);
    expect(run.stdout).toMatch(/Status\.+: Exhausted/);
    expect(run.stdout).toMatch(/Recovered\.+: 2\/3 \(66\.67%\) Digests/);
    expect(run.stdout).toMatch(/Hash\.Mode\.+: 3200/);
    expect(run.stdout).toMatch(/Speed\.#1\.+: .* H\/s/);
    const saved = readFileSync(join(lab.dir, 'cracked.txt'), 'utf8');
    expect(saved.split('\n').filter(Boolean).sort()).toEqual([`${weak.password}:password`, `${weak.qwe}:qwe`].sort());
  });

  it('cracks mongoexport JSON lines, including a cost-10 hash, and shows the email', async () => {
    const run = await lab.run(crackMain, ['--hashes', 'users.jsonl', '--field', 'password', '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').filter(Boolean).sort()).toEqual(['ben@example.com:qwe', 'cara@example.com:cloudpets']);
  });

  it('returns 0 when every hash is recovered, and --limit-hashes stops early', async () => {
    const run = await lab.run(crackMain, ['--hashes', 'hashes.txt', '--limit-hashes', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Status\.+: Cracked/);
    expect(run.stdout).toMatch(/Recovered\.+: 1\/1 /);
  });

  it('uses a wordlist file', async () => {
    writeFileSync(join(lab.dir, 'words.txt'), 'nope\r\ncorrect horse battery staple\r\n');
    const run = await lab.run(crackMain, ['hashes.txt', '--wordlist', 'words.txt', '--quiet']);
    expect(run.stdout).toBe(`${weak.strong}:correct horse battery staple\n`);
  });

  it('reads user:hash lines with --username', async () => {
    writeFileSync(join(lab.dir, 'pairs.txt'), `dan@example.com:${weak.password}\n`);
    const run = await lab.run(crackMain, ['--hashes', 'pairs.txt', '--username', '--quiet']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('dan@example.com:password\n');
  });

  it('rejects bad input with exit code 2 and a message that says what to fix', async () => {
    const cases: [string[], RegExp][] = [
      [['--bogus'], /unknown option '--bogus'/],
      [[], /no hashes given/],
      [['--hashes'], /option '--hashes' needs a value/],
      [['--hashes', 'missing.txt'], /hashes file not found: missing\.txt/],
      [['--hashes', 'hashes.txt', '--wordlist', 'nowords.txt'], /wordlist not found: nowords\.txt/],
      [['--hashes', 'users.jsonl'], /holds JSON documents .*--field password/],
      [['--hashes', 'hashes.txt', '--limit-hashes', 'ten'], /--limit-hashes must be a whole number/],
    ];
    for (const [argv, message] of cases) {
      const run = await lab.run(crackMain, argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('reports malformed lines by number and fails when no hash is left', async () => {
    writeFileSync(join(lab.dir, 'garbage.txt'), 'not a hash\n$2b$10$tooshort\n');
    const bad = await lab.run(crackMain, ['--hashes', 'garbage.txt']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no bcrypt hashes found in garbage\.txt: line 1: 'not a hash' is not a bcrypt hash/);

    writeFileSync(join(lab.dir, 'mixed.jsonl'), `{"email":"x@example.com","password":"${weak.qwe}"}\n{broken json\n{"email":"y@example.com"}\n`);
    const mixed = await lab.run(crackMain, ['--hashes', 'mixed.jsonl', '--field', 'password', '--quiet']);
    expect(mixed.code).toBe(0);
    expect(mixed.stdout).toBe('x@example.com:qwe\n');
    expect(mixed.stderr).toMatch(/line 2: not a JSON document, skipped/);
    expect(mixed.stderr).toMatch(/line 3: no field 'password', skipped/);
  });

  it('checks a hash shared by several users once and names every user', async () => {
    writeFileSync(
      join(lab.dir, 'shared.jsonl'),
      [`{"email":"d@example.com","password":"${weak.qwe}"}`, `{"email":"e@example.com","password":"${weak.qwe}"}`, `{"email":"f@example.com","password":"${weak.strong}"}`].join('\n'),
    );
    const run = await lab.run(crackMain, ['--hashes', 'shared.jsonl', '--field', 'password']);
    expect(run.stdout).toContain('Hashes: 3 digests; 2 unique digests, 2 unique salts');
    expect(run.stdout).toContain('d@example.com:qwe\ne@example.com:qwe\n');
    expect(run.stdout).toMatch(/Recovered\.+: 2\/3 \(66\.67%\) Digests/);
    // 20 words against 2 unique hashes, minus the words "qwe" no longer needed after its crack.
    expect(run.stdout).toMatch(/Progress\.+: (\d+)\/\1 \(100\.00%\)/);
    expect(Number(/Progress\.+: (\d+)\//.exec(run.stdout)![1])).toBeLessThan(2 * TINY_WORDLIST.length);
  });

  it("covers every weak password the world's dataset gives its users", () => {
    for (const word of WEAK_PASSWORDS) expect(TINY_WORDLIST).toContain(word);
  });

  it('stops on an abort signal (Ctrl+C) with a final status block and exit code 4', async () => {
    const io = lab.io();
    const controller = new AbortController();
    io.signal = controller.signal;
    const running = crackMain(['--hashes', 'hashes.txt'], io);
    setImmediate(() => controller.abort());
    expect(await running).toBe(4);
    expect(io.out().stdout).toMatch(/Status\.+: Aborted/);
  });

  it('exits 3 when --out cannot be written', async () => {
    const run = await lab.run(crackMain, ['--hashes', 'hashes.txt', '--out', 'no/such/dir/out.txt']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/cannot write --out/);
  });
});
