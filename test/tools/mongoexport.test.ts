import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Long, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoexportMain } from '../../sandboxes/tools/mongoexport/mongoexport.ts';
import { startLabDatabase, type LabDatabase } from './support/lab-database.ts';
import { tempLab, type TempLab } from './support/tool-harness.ts';

let open: LabDatabase;
let secured: LabDatabase;
let lab: TempLab;
let authLab: TempLab;

beforeAll(async () => {
  open = await startLabDatabase();
  secured = await startLabDatabase({ auth: { user: 'admin', pwd: 'pw-admin' } });
  lab = tempLab();
  lab.writeMap(open.mapEntry());
  authLab = tempLab();
  authLab.writeMap(secured.mapEntry());
  await open.client.db('cloudpets').collection('users').insertMany([
    { _id: new ObjectId('5a0000000000000000000001'), email: 'a@example.com', password: '$2b$10$abc', created: new Date('2016-01-02T03:04:05.006Z'), logins: Long.fromNumber(3) },
    { _id: new ObjectId('5a0000000000000000000002'), email: 'b@example.com', password: '$2b$10$def', created: new Date('2016-02-02T00:00:00Z') },
    { _id: new ObjectId('5a0000000000000000000003'), email: 'c@example.com', password: '$2b$10$ghi', created: new Date('2016-03-02T00:00:00Z') },
  ]);
  await secured.client.db('cloudpets').collection('users').insertOne({ email: 'locked@example.com' });
});
afterAll(async () => {
  await open?.close();
  await secured?.close();
  lab?.cleanup();
  authLab?.cleanup();
});

describe('mongoexport', () => {
  it('prints --help with an example and the exit codes', async () => {
    const run = await lab.run(mongoexportMain, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/mongoexport --uri mongodb:\/\/db\.cloudpets\.test:27017\/cloudpets -c users -o downloads\/users\.jsonl/);
    expect(run.stdout).toMatch(/Exit codes/);
  });

  it('exports a collection as relaxed Extended JSON lines, logging like the real tool', async () => {
    const run = await lab.run(mongoexportMain, ['--uri', 'mongodb://db.cloudpets.test:27017/cloudpets', '-c', 'users', '--out', 'users.jsonl']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^\S+\tconnected to: mongodb:\/\/db\.cloudpets\.test:27017\/cloudpets\n\S+\texported 3 records\n$/);
    const lines = readFileSync(join(lab.dir, 'users.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toEqual({
      _id: { $oid: '5a0000000000000000000001' },
      email: 'a@example.com',
      password: '$2b$10$abc',
      created: { $date: '2016-01-02T03:04:05.006Z' },
      logins: 3,
    });
  });

  it('takes --host/--port/--db, --query, --fields, --sort, --limit, and writes to stdout', async () => {
    const run = await lab.run(mongoexportMain, [
      '--host', 'db.cloudpets.test', '--port', '27017', '-d', 'cloudpets', '-c', 'users',
      '--query', '{"created": {"$gte": {"$date": "2016-02-01T00:00:00Z"}}}', '-f', 'email', '--sort', '{"email": -1}', '--limit', '1', '--quiet',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(run.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([{ _id: { $oid: '5a0000000000000000000003' }, email: 'c@example.com' }]);
  });

  it('writes --jsonArray and canonical --jsonFormat', async () => {
    const run = await lab.run(mongoexportMain, ['--uri', 'mongodb://db.cloudpets.test/cloudpets', '-c', 'users', '--jsonArray', '--jsonFormat', 'canonical', '--limit', '1', '--quiet']);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        _id: { $oid: '5a0000000000000000000001' },
        email: 'a@example.com',
        password: '$2b$10$abc',
        created: { $date: { $numberLong: String(Date.parse('2016-01-02T03:04:05.006Z')) } },
        logins: expect.anything(),
      },
    ]);
  });

  it('writes CSV with --type=csv --fields, quoting where needed', async () => {
    await open.client.db('cloudpets').collection('csv').insertOne({ _id: new ObjectId('5a0000000000000000000009'), email: 'q@example.com', name: 'Sam "Sunny", Example', profile: { city: 'Testville' } });
    const run = await lab.run(mongoexportMain, ['--uri', 'mongodb://db.cloudpets.test/cloudpets', '-c', 'csv', '--type=csv', '--fields', '_id,email,name,profile.city,missing', '--quiet']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('_id,email,name,profile.city,missing\nObjectId(5a0000000000000000000009),q@example.com,"Sam ""Sunny"", Example",Testville,\n');
    const noFields = await lab.run(mongoexportMain, ['-c', 'csv', '--type', 'csv']);
    expect(noFields.code).toBe(2);
    expect(noFields.stderr).toMatch(/--type=csv needs the columns/);
  });

  it('needs credentials on a server with authorization, and works with them', async () => {
    const denied = await authLab.run(mongoexportMain, ['--uri', 'mongodb://db.cloudpets.test:27017/cloudpets', '-c', 'users']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/Failed: \(Unauthorized\) Command find requires authentication|Failed: .*requires authentication/);
    const allowed = await authLab.run(mongoexportMain, ['--uri', 'mongodb://db.cloudpets.test:27017/cloudpets', '-c', 'users', '-u', 'admin', '-p', 'pw-admin', '--authenticationDatabase', 'admin', '--quiet']);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).email).toBe('locked@example.com');
    const wrong = await authLab.run(mongoexportMain, ['--uri', 'mongodb://admin:nope@db.cloudpets.test:27017/cloudpets?authSource=admin', '-c', 'users']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/Failed: .*Authentication failed/);
  });

  it('rejects bad arguments with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--nope'], /unknown option '--nope'/],
      [['--uri', 'mongodb://db.cloudpets.test/cloudpets'], /must specify a collection/],
      [['-c', 'users', '--query', '{email: broken'], /error parsing --query as Extended JSON/],
      [['-c', 'users', '--query', '[1]'], /expected a JSON object/],
      [['-c', 'users', '--limit', '-3'], /option '--limit' is followed by something that looks like another option; write --limit=VALUE/],
      [['-c', 'users', '--limit=-3'], /--limit must be a whole number >= 0, got '-3'/],
      [['-c', 'users', '--limit', 'many'], /--limit must be a whole number/],
      [['-c', 'users', '--jsonFormat', 'yaml'], /--jsonFormat must be relaxed or canonical/],
      [['-c', 'users', 'extra'], /unexpected argument 'extra'/],
      [['-c', 'users', '--port', 'http'], /--port must be a number/],
    ];
    for (const [argv, message] of cases) {
      const run = await lab.run(mongoexportMain, argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('fails with exit code 1 on a closed port, an unknown host, or an unwritable --out', async () => {
    const closed = await lab.run(mongoexportMain, ['--host', 'db.cloudpets.test:27018', '-c', 'users']);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/Failed: cannot connect to db\.cloudpets\.test:27018: connection refused/);
    const unknown = await lab.run(mongoexportMain, ['--uri', 'mongodb://elsewhere.example.com/', '-c', 'users']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/could not resolve host: elsewhere\.example\.com/);
    const unwritable = await lab.run(mongoexportMain, ['--uri', 'mongodb://db.cloudpets.test/cloudpets', '-c', 'users', '-o', 'no/such/dir/x.jsonl']);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/Failed: cannot write no\/such\/dir\/x\.jsonl/);
  });
});
