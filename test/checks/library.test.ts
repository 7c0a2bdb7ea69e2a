/** The pure parts of the checks: parsers and validators that decide nothing on their own. */
import { describe, expect, it } from 'vitest';
import { validateSecurityTxt } from '../../sandboxes/checks/learner-files/security-txt.ts';
import { parseCrackedPairs } from '../../sandboxes/checks/learner-files/cracked-file.ts';
import { parseFindings } from '../../sandboxes/checks/learner-files/findings-file.ts';
import { describeWav, readExportedDocuments } from '../../sandboxes/checks/learner-files/downloads-folder.ts';
import { fingerprint } from '../../sandboxes/checks/probes/collection-fingerprint.ts';
import { appLogin } from '../../sandboxes/checks/probes/app-database-login.ts';
import { anonymousCommandsFrom, connections, parseLog } from '../../sandboxes/checks/probes/db-log.ts';
import { ObjectId } from 'bson';
import type { CheckContext } from '../../sandboxes/checks/context.ts';
import bcrypt from 'bcryptjs';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeStoredPassword } from '../../sandboxes/checks/probes/stored-password.ts';
import { RANSOM_NOTE_DATABASES, SERVER_VERSIONS, labSeed, worldVariants } from '../../sandboxes/world/dataset/world-variants.ts';
import { DEFAULT_SEED, EARLY_USERS, EARLY_WEAK, weakPasswordOf } from '../../sandboxes/world/dataset/generate.ts';
import { stampClip } from '../../sandboxes/world/dataset/clip-stamp.ts';
import { CLIPS, CLIPS_DIR } from '../../sandboxes/world/recordings/clips.ts';
import { LEARNER_SEED_MIN } from '../../src/progress/learner-identity.ts';
import { LABS } from '../../sandboxes/labs/registry.ts';

const now = new Date('2026-06-01T00:00:00Z');

describe('security.txt (RFC 9116)', () => {
  it('accepts Contact and an Expires less than a year ahead', () => {
    const v = validateSecurityTxt('# CloudPets\nContact: mailto:security@cloudpets.example\nExpires: 2026-12-31T23:00:00.000Z\nPreferred-Languages: en\n', now);
    expect(v.ok).toBe(true);
  });
  it.each([
    ['Expires: 2026-12-31T23:00:00Z\n', /no Contact/],
    ['Contact: security@cloudpets.example\nExpires: 2026-12-31T23:00:00Z\n', /must be a URI/],
    ['Contact: mailto:a@example.com\n', /no Expires/],
    ['Contact: mailto:a@example.com\nExpires: 2025-01-01T00:00:00Z\n', /in the past/],
    ['Contact: mailto:a@example.com\nExpires: 2028-01-01T00:00:00Z\n', /more than a year/],
    ['Contact: mailto:a@example.com\nExpires: next year\n', /not an RFC 3339/],
    ['Contact: mailto:a@example.com\nExpires: 2026-12-01T00:00:00Z\nExpires: 2026-12-02T00:00:00Z\n', /more than one/],
  ])('refuses %j', (text, problem) => {
    const v = validateSecurityTxt(text, now);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.problem).toMatch(problem);
  });
});

describe('learner files', () => {
  it('findings: key: value lines, comments and blanks ignored', () => {
    const f = parseFindings('# comment\nHost: db.cloudpets.test\nport:  27017 # the default\nversion:\n');
    expect(Object.fromEntries(f)).toEqual({ host: 'db.cloudpets.test', port: '27017' });
  });
  it('cracked pairs keep colons in passwords and line numbers', () => {
    expect(parseCrackedPairs('# x\nA@Example.com:pa:ss\nnot a pair\nb@example.com:qwe\n')).toEqual([
      { email: 'a@example.com', password: 'pa:ss', line: 2 },
      { email: 'b@example.com', password: 'qwe', line: 4 },
    ]);
  });
  it('exports: JSON lines and arrays, relaxed Extended JSON', () => {
    const id = new ObjectId();
    expect(readExportedDocuments(`{"_id":{"$oid":"${id.toHexString()}"},"email":"a@example.com"}\n{broken\n`)).toHaveLength(1);
    expect(readExportedDocuments(`[{"_id":{"$oid":"${id.toHexString()}"}}]`)[0]!._id.toHexString()).toBe(id.toHexString());
  });
  it('a WAV needs RIFF/WAVE, fmt and data', () => {
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'ascii');
    header.write('WAVE', 8, 'ascii');
    header.write('fmt ', 12, 'ascii');
    header.writeUInt32LE(16, 16);
    header.writeUInt32LE(32000, 28);
    header.write('data', 36, 'ascii');
    header.writeUInt32LE(64000, 40);
    const wav = Buffer.concat([header, Buffer.alloc(64000)]);
    expect(describeWav(wav)).toEqual({ ok: true, seconds: 2 });
    expect(describeWav(Buffer.from('<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>'.padEnd(60)))).toMatchObject({ ok: false });
  });
  it('fingerprints ignore order but not content', () => {
    const a = { _id: 1, x: 'a' };
    const b = { _id: 2, x: 'b' };
    expect(fingerprint([a, b])).toBe(fingerprint([b, a]));
    expect(fingerprint([a, b])).not.toBe(fingerprint([a, { ...b, x: 'c' }]));
  });
  it("the app's login comes from MONGODB_URI in api/.env", () => {
    const ctx = (text?: string) => ({ readText: () => text }) as unknown as CheckContext;
    // The app's own parser decides: a line the API host refuses is refused by the checks too.
    expect(appLogin(ctx('# c\nexport MONGODB_URI=mongodb://app:pw@localhost/cloudpets\n'))).toMatchObject({ ok: false, problem: expect.stringMatching(/api\/\.env line 2: expected NAME=value/) });
    expect(appLogin(ctx('MONGODB_URI="mongodb://app:pw@localhost/cloudpets"\n'))).toMatchObject({ ok: true, login: { username: 'app', password: 'pw' } });
    expect(appLogin(ctx('MONGODB_URI=mongodb://app:p%40ss@localhost:27017/cloudpets?authSource=cloudpets'))).toMatchObject({ ok: true, login: { username: 'app', password: 'p@ss', authSource: 'cloudpets' } });
    expect(appLogin(ctx('MONGODB_URI=mongodb://localhost:27017/cloudpets'))).toMatchObject({ ok: false, problem: expect.stringMatching(/no user name/) });
    expect(appLogin(ctx(undefined))).toMatchObject({ ok: false, problem: expect.stringMatching(/missing/) });
  });
});

describe('the database log', () => {
  const line = (o: object): string => JSON.stringify(o);
  const log = [
    line({ t: { $date: '2026-01-07T10:00:00.000+00:00' }, s: 'I', c: 'NETWORK', id: 22943, ctx: 'listener', msg: 'Connection accepted', attr: { remote: '198.51.100.23:50000', connectionId: 1 } }),
    line({ t: { $date: '2026-01-07T10:00:01.000+00:00' }, s: 'D1', c: 'COMMAND', id: 51803, ctx: 'conn1', msg: 'Slow query', attr: { type: 'command', ns: 'admin.$cmd', command: { hello: 1 }, remote: '198.51.100.23:50000' } }),
    line({ t: { $date: '2026-01-07T10:00:02.000+00:00' }, s: 'D1', c: 'COMMAND', id: 51803, ctx: 'conn1', msg: 'Slow query', attr: { type: 'command', ns: 'admin.$cmd', command: { listDatabases: 1 }, remote: '198.51.100.23:50000' } }),
    line({ t: { $date: '2026-01-07T10:00:03.000+00:00' }, s: 'D1', c: 'COMMAND', id: 51803, ctx: 'conn1', msg: 'Slow query', attr: { type: 'command', ns: 'cloudpets.users', command: { find: 'users' }, errCode: 13, remote: '198.51.100.23:50000' } }),
    line({ t: { $date: '2026-01-07T10:00:04.000+00:00' }, s: 'I', c: 'NETWORK', id: 22943, ctx: 'listener', msg: 'Connection accepted', attr: { remote: '127.0.0.1:50001', connectionId: 2 } }),
    line({ t: { $date: '2026-01-07T10:00:05.000+00:00' }, s: 'I', c: 'ACCESS', id: 5286306, ctx: 'conn2', msg: 'Authentication succeeded', attr: { principalName: 'cloudpets-app', remote: '127.0.0.1:50001' } }),
    line({ t: { $date: '2026-01-07T10:00:06.000+00:00' }, s: 'D1', c: 'COMMAND', id: 51803, ctx: 'conn2', msg: 'Slow query', attr: { type: 'command', ns: 'cloudpets.users', command: { find: 'users' }, remote: '127.0.0.1:50001' } }),
    '{"t": half a line',
  ].join('\n');

  it('groups commands by connection with the remote address and the logged-in user', () => {
    const conns = connections(parseLog(log));
    expect(conns.map((c) => [c.address, c.commands.map((x) => x.name), c.users])).toEqual([
      ['198.51.100.23', ['hello', 'listDatabases', 'find'], []],
      ['127.0.0.1', ['find'], ['cloudpets-app']],
    ]);
  });
  it('anonymous commands: answered, not handshakes, not refused', () => {
    expect(anonymousCommandsFrom(parseLog(log), '198.51.100.23').map((c) => c.name)).toEqual(['listDatabases']);
    expect(anonymousCommandsFrom(parseLog(log), '127.0.0.1')).toEqual([]);
  });
});

describe('who connected', () => {
  it('keeps the application name a client sent in its handshake', () => {
    const log = [
      JSON.stringify({ t: { $date: '2026-01-07T10:00:00.000+00:00' }, msg: 'Connection accepted', ctx: 'listener', attr: { remote: '198.51.100.23:1', connectionId: 7 } }),
      JSON.stringify({ t: { $date: '2026-01-07T10:00:00.100+00:00' }, msg: 'client metadata', ctx: 'conn7', attr: { remote: '198.51.100.23:1', doc: { application: { name: 'scan' } } } }),
    ].join('\n');
    expect(connections(parseLog(log))[0]).toMatchObject({ address: '198.51.100.23', appName: 'scan' });
  });
});

describe('"stored as bcrypt" can fail', () => {
  const passphrase = 'purple teddy sings at 7 bells';
  it('passes a bcrypt hash of the passphrase at cost 10', async () => {
    const hash = bcrypt.hashSync(passphrase, 10);
    expect(await judgeStoredPassword(hash, passphrase)).toEqual({ ok: true, cost: 10 });
  });
  it.each([
    ['plain text', () => passphrase, /plain text/],
    ['MD5', () => createHash('md5').update(passphrase).digest('hex'), /MD5: a fast hash/],
    ['SHA-1', () => createHash('sha1').update(passphrase).digest('hex'), /SHA-1: a fast hash/],
    ['SHA-256', () => createHash('sha256').update(passphrase).digest('hex'), /SHA-256: a fast hash/],
    ['md5crypt', () => '$1$saltsalt$qjXMvbEw8oaL.CzflDugX/', /not a bcrypt hash/],
    ['bcrypt at cost 4', () => bcrypt.hashSync(passphrase, 4), /cost 4; keep 10 or more/],
    ['bcrypt of another password', () => bcrypt.hashSync('another password entirely', 10), /does not match/],
  ])('fails %s', async (_name, stored, problem) => {
    const verdict = await judgeStoredPassword(stored(), passphrase);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.problem).toMatch(problem);
  });
});

describe('learner worlds (world-variants.ts, generate.ts)', () => {
  const RESERVED = ['198.51.100.23', '198.51.100.77', '203.0.113.10', '203.0.113.20', '203.0.113.30'];
  it('the lesson world (2016) keeps the lesson values; a learner seed never repeats them', () => {
    const lesson = worldVariants(DEFAULT_SEED);
    expect(lesson).toMatchObject({ serverVersion: '3.2.10', thiefAddress: '192.0.2.146', ransomDatabase: 'README_MISSING_DATABASES' });
    for (let seed = LEARNER_SEED_MIN; seed < LEARNER_SEED_MIN + 2000; seed++) {
      const v = worldVariants(seed);
      expect(v.serverVersion).not.toBe(lesson.serverVersion);
      expect(SERVER_VERSIONS).toContain(v.serverVersion);
      expect(v.thiefAddress).not.toBe(lesson.thiefAddress);
      expect(v.thiefAddress).toMatch(/^(192\.0\.2|198\.51\.100)\.\d+$/);
      expect(RESERVED).not.toContain(v.thiefAddress);
      expect(v.ransomDatabase).not.toBe(lesson.ransomDatabase);
      expect(worldVariants(seed)).toEqual(v);
    }
  });
  it('learner seeds spread over the choices (a copied answer rarely fits)', () => {
    const seeds = Array.from({ length: 500 }, (_, i) => LEARNER_SEED_MIN + i * 977);
    expect(new Set(seeds.map((s) => worldVariants(s).serverVersion)).size).toBe(SERVER_VERSIONS.length - 1);
    expect(new Set(seeds.map((s) => worldVariants(s).thiefAddress)).size).toBeGreaterThan(200);
    expect(new Set(seeds.map((s) => worldVariants(s).ransomDatabase)).size).toBe(RANSOM_NOTE_DATABASES.length - 1);
  });
  it('in every world the twelve oldest accounts hold exactly three weak passwords, at different places', () => {
    const places = new Set<string>();
    for (let seed = LEARNER_SEED_MIN; seed < LEARNER_SEED_MIN + 200; seed++) {
      const weak = Array.from({ length: EARLY_USERS }, (_, i) => i).filter((i) => weakPasswordOf({ seed, users: 40 }, i) !== undefined);
      expect(weak).toHaveLength(EARLY_WEAK);
      places.add(weak.join(','));
    }
    expect(places.size).toBeGreaterThan(50);
  });
  it('each world stamps its clips: same audio, other bytes, still a playable WAV', () => {
    const wav = readFileSync(join(CLIPS_DIR, CLIPS[0]!.file));
    const a = stampClip(wav, 482913);
    const b = stampClip(wav, 731054);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(12, wav.length).equals(wav.subarray(12))).toBe(true);
    const played = describeWav(a);
    expect(played.ok && played.seconds).toBe((describeWav(wav) as { seconds: number }).seconds);
    expect(a.readUInt32LE(4)).toBe(a.length - 8);
  });
  it('labSeed reads the seed the world used, else the learner seed, else 2016', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudpets-seed-'));
    try {
      expect(labSeed(dir)).toBe(DEFAULT_SEED);
      mkdirSync(join(dir, '.lab'));
      writeFileSync(join(dir, '.lab', 'lab.json'), JSON.stringify({ id: 'recon', seed: 555555 }));
      expect(labSeed(dir)).toBe(555555);
      writeFileSync(join(dir, '.lab', 'seeded.json'), JSON.stringify({ dataset: { seed: 123456, users: 10 } }));
      expect(labSeed(dir)).toBe(123456);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('challenge mode content', () => {
  it('every lab has a goal-only brief and three hints (nudge, command, full solution)', () => {
    for (const lab of LABS) {
      expect(lab.meta.challenge?.brief, lab.meta.id).toBeTruthy();
      expect(lab.meta.challenge?.hints, lab.meta.id).toHaveLength(3);
      for (const hint of lab.meta.challenge!.hints) expect(hint.trim(), lab.meta.id).not.toBe('');
    }
  });
});
