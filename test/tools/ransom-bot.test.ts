import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EJSON, ObjectId } from 'bson';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_BTC_ADDRESS } from '../../sandboxes/tools/ransom-bot/ransom-note.ts';
import { ransomBotMain } from '../../sandboxes/tools/ransom-bot/ransom-bot.ts';
import { startLabDatabase, type LabDatabase } from './support/lab-database.ts';
import { tempLab, type TempLab } from './support/tool-harness.ts';

let open: LabDatabase;
let secured: LabDatabase;
let lab: TempLab;
let authLab: TempLab;

async function seed(database: LabDatabase) {
  const cloudpets = database.client.db('cloudpets');
  await cloudpets.dropDatabase();
  await cloudpets.collection('users').insertMany([
    { _id: new ObjectId('5a0000000000000000000001'), email: 'a@example.com', created: new Date('2016-01-01T00:00:00Z') },
    { _id: new ObjectId('5a0000000000000000000002'), email: 'b@example.com', created: new Date('2016-01-02T00:00:00Z') },
  ]);
  await cloudpets.collection('recordings').insertOne({ url: 'http://bucket.cloudpets.test/r/1.wav' });
  await database.client.db('shop').collection('orders').insertOne({ n: 1 });
}

beforeAll(async () => {
  open = await startLabDatabase();
  secured = await startLabDatabase({ auth: { user: 'admin', pwd: 'pw' } });
  lab = tempLab();
  lab.writeMap(open.mapEntry());
  authLab = tempLab();
  authLab.writeMap(secured.mapEntry());
  await secured.client.db('cloudpets').collection('users').insertOne({ email: 'safe@example.com' });
});
beforeEach(async () => {
  await seed(open);
  await open.client.db('README_MISSING_DATABASES').dropDatabase();
});
afterAll(async () => {
  await open?.close();
  await secured?.close();
  lab?.cleanup();
  authLab?.cleanup();
});

const databaseNames = async (database: LabDatabase) =>
  ((await database.client.db('admin').command({ listDatabases: 1 })).databases as { name: string }[]).map((db) => db.name).sort();

describe('ransom-bot', () => {
  it('prints --help with the exit codes', async () => {
    const run = await lab.run(ransomBotMain, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/3 authentication required/);
  });

  it('copies, wipes and leaves a ransom note on an open server', async () => {
    const run = await lab.run(ransomBotMain, ['db.cloudpets.test']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('[ransom-bot] connected without credentials');
    expect(run.stdout).toContain('[ransom-bot] copied cloudpets.users: 2 documents -> ransom-copy/cloudpets/users.json');
    expect(run.stdout).toContain('[ransom-bot] dropped database cloudpets');
    expect(run.stdout).toContain('[ransom-bot] dropped database shop');

    // The data is gone from the server ...
    const names = await databaseNames(open);
    expect(names).not.toContain('cloudpets');
    expect(names).not.toContain('shop');
    expect(names).toContain('README_MISSING_DATABASES');
    // ... the note is there, with the clearly fake address ...
    const note = await open.client.db('README_MISSING_DATABASES').collection('README').findOne({});
    expect(note?.btc).toBe(FAKE_BTC_ADDRESS);
    expect(note?.note).toContain('0.2 BTC');
    expect(note?.databases).toEqual(expect.arrayContaining(['cloudpets', 'shop']));
    // ... and the copy holds every document with its types.
    const copy = readFileSync(join(lab.dir, 'ransom-copy', 'cloudpets', 'users.json'), 'utf8').trim().split('\n').map((line) => EJSON.parse(line));
    expect(copy).toHaveLength(2);
    expect(copy[0]).toEqual({ _id: new ObjectId('5a0000000000000000000001'), email: 'a@example.com', created: new Date('2016-01-01T00:00:00Z') });
  });

  it('--dry-run changes nothing; --wipe-only keeps no copy; --note-db names the note', async () => {
    const dry = await lab.run(ransomBotMain, ['db.cloudpets.test:27017', '--dry-run', '--out', 'dry']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/would drop database cloudpets/);
    expect(await databaseNames(open)).toEqual(expect.arrayContaining(['cloudpets', 'shop']));
    expect(existsSync(join(lab.dir, 'dry'))).toBe(false);

    const wipe = await lab.run(ransomBotMain, ['db.cloudpets.test', '--wipe-only', '--note-db', 'PLEASE_READ', '--out', 'wiped']);
    expect(wipe.code).toBe(0);
    expect(existsSync(join(lab.dir, 'wiped'))).toBe(false);
    expect(await databaseNames(open)).toContain('PLEASE_READ');
    expect(await databaseNames(open)).not.toContain('cloudpets');
    await open.client.db('PLEASE_READ').dropDatabase();
  });

  it('moves on when the server requires authentication, touching nothing', async () => {
    const run = await authLab.run(ransomBotMain, ['db.cloudpets.test']);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('ransom-bot: authentication required: the bot moves on to the next open server\n');
    expect(await secured.client.db('cloudpets').collection('users').countDocuments()).toBe(1);
  });

  it('refuses anything that is not a host of the lab network', async () => {
    for (const target of ['example.com', `127.0.0.1:${open.port}`, 'localhost']) {
      const run = await lab.run(ransomBotMain, [target]);
      expect(run.code, target).toBe(1);
      expect(run.stderr).toMatch(/refusing to run: .* is not a host of the lab network|connection refused/);
    }
    expect(await databaseNames(open)).toContain('cloudpets');
  });

  it('rejects bad arguments with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [[], /no target given/],
      [['a.test', 'b.test'], /one target at a time/],
      [['--bogus', 'db.cloudpets.test'], /unknown option '--bogus'/],
      [['db.cloudpets.test', '--note-db', 'bad name'], /not a valid database name/],
      [['mongodb://u:p@db.cloudpets.test/'], /the bot has no credentials/],
    ];
    for (const [argv, message] of cases) {
      const run = await lab.run(ransomBotMain, argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('stops before dropping when it cannot write its copy', async () => {
    // A file where the downloads folder should go: mkdir fails with ENOTDIR.
    writeFileSync(join(lab.dir, 'blocker'), 'not a folder');
    const run = await lab.run(ransomBotMain, ['db.cloudpets.test', '--out', 'blocker/downloads']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot write the copy of .*nothing dropped/);
    expect(await databaseNames(open)).toContain('cloudpets');
  });
});
