/** The pure parts of the checks: parsers and validators that decide nothing on their own. */
import { describe, expect, it } from 'vitest';
import { validateSecurityTxt } from '../../sandboxes/checks/library/detect.ts';
import { parsePairs } from '../../sandboxes/checks/library/crack-checks.ts';
import { parseFindings } from '../../sandboxes/checks/library/findings.ts';
import { describeWav } from '../../sandboxes/checks/library/download-checks.ts';
import { fingerprint } from '../../sandboxes/checks/library/content-hash.ts';
import { appLogin } from '../../sandboxes/checks/library/app-credentials.ts';
import { anonymousCommandsFrom, connections, parseLog } from '../../sandboxes/checks/probes/db-log.ts';
import { readExportedDocuments } from '../../sandboxes/checks/library/evidence-checks.ts';
import { ObjectId } from 'bson';
import type { CheckContext } from '../../sandboxes/checks/context.ts';

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
    expect(parsePairs('# x\nA@Example.com:pa:ss\nnot a pair\nb@example.com:qwe\n')).toEqual([
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
