/**
 * Attacks on the lab database (issue 13), each replayed through the official `mongodb`
 * driver: the safe outcome is asserted, then that the server still answers.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverError } from '../database/support/server-error.ts';
import { scratchDir, startLabDatabase, type LabDatabase } from '../database/support/harness.ts';

function withCredentials(uri: string, user: string, pwd: string, authSource: string): string {
  return `${uri.replace('mongodb://', `mongodb://${encodeURIComponent(user)}:${encodeURIComponent(pwd)}@`)}/?authSource=${authSource}`;
}

function nested(depth: number): Document {
  let doc: Document = { leaf: true };
  for (let i = 1; i < depth; i++) doc = { down: doc };
  return doc;
}

describe('database attacks against an authorization-enabled server', () => {
  let lab: LabDatabase;
  const clients: MongoClient[] = [];
  const connect = async (user?: [string, string, string]) => {
    const c = new MongoClient(user ? withCredentials(lab.db.uri, ...user) : lab.db.uri, { serverSelectionTimeoutMS: 5000 });
    clients.push(c);
    await c.connect();
    return c;
  };
  let root: MongoClient;

  beforeAll(async () => {
    lab = await startLabDatabase({ auth: true });
    const anon = await connect();
    // The localhost exception creates the first user in admin only.
    const elsewhere = await serverError(anon.db('shop').command({ createUser: 'early', pwd: 'x', roles: ['readWrite'] }));
    expect(elsewhere.code).toBe(13);
    await anon.db('admin').command({ createUser: 'root', pwd: 'root-pw', roles: ['root'] });
    root = await connect(['root', 'root-pw', 'admin']);
    await root.db('shop').collection('users').insertMany([{ email: 'a@example.com' }, { email: 'b@example.com' }]);
    await root.db('shop').collection('big').insertMany(Array.from({ length: 50 }, (_, i) => ({ i })));
    await root.db('admin').collection('notes').insertOne({ note: 'an ordinary collection in admin' });
    const admin = root.db('admin');
    await admin.command({ createUser: 'rwany', pwd: 'rwany-pw', roles: ['readWriteAnyDatabase'] });
    await admin.command({ createUser: 'dbadminany', pwd: 'dbadminany-pw', roles: ['dbAdminAnyDatabase'] });
    await admin.command({ createUser: 'readany', pwd: 'readany-pw', roles: ['readAnyDatabase'] });
    await root.db('shop').command({ createUser: 'reader', pwd: 'reader-pw', roles: ['read'] });
    await root.db('shop').command({ createUser: 'reader2', pwd: 'reader2-pw', roles: ['read'] });
    await root.db('shop').command({ createUser: 'shopadmin', pwd: 'shopadmin-pw', roles: ['userAdmin'] });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await lab?.stop();
  });

  const stillServes = async () => {
    expect(await root.db('shop').collection('users').countDocuments()).toBe(2);
  };

  it('$where cannot reach the host: the constructor escape fails for a read-only user', async () => {
    const reader = await connect(['reader', 'reader-pw', 'shop']);
    const users = reader.db('shop').collection('users');
    const marker = join(lab.dir, 'escaped.txt');
    const write = `.mainModule.require('fs').writeFileSync(${JSON.stringify(marker)}, 'pwned')`;
    // Under node:vm the sloppy-mode global is a host object: its constructor's constructor is
    // the host's Function, and `return process` hands over the server's process.
    const escapes = [
      `(function () { return this; })().constructor.constructor('return process')()${write}`,
      `this.constructor.constructor('return process')()${write}`,
      `globalThis.constructor.constructor('return process')()${write}`,
    ];
    for (const escape of escapes) {
      const error = await serverError(users.find({ $where: escape }).toArray());
      expect(error.code).toBe(5038802);
      expect(error.message).toContain("'process' is not defined");
    }
    expect(existsSync(marker)).toBe(false);
    // What the code does see: a JavaScript world without process, require or the server's globals.
    expect(await users.countDocuments({ $where: "typeof process === 'undefined' && typeof require === 'undefined' && typeof globalThis.Buffer === 'undefined'" })).toBe(2);
    await stillServes();
  });

  it('readWriteAnyDatabase cannot drop or empty admin.system.users, so the localhost exception stays closed', async () => {
    const rw = await connect(['rwany', 'rwany-pw', 'admin']);
    const admin = rw.db('admin');
    expect((await serverError(admin.collection('system.users').drop())).code).toBe(13);
    expect((await serverError(admin.collection('system.users').deleteMany({}))).code).toBe(13);
    expect((await serverError(admin.collection('system.users').insertOne({ _id: 'admin.evil' as never, user: 'evil' }))).code).toBe(13);
    expect((await serverError(admin.command({ dropDatabase: 1 }))).code).toBe(13);
    const dbAdmin = await connect(['dbadminany', 'dbadminany-pw', 'admin']);
    expect((await serverError(dbAdmin.db('admin').command({ dropDatabase: 1 }))).code).toBe(13);
    expect((await serverError(dbAdmin.db('admin').collection('system.users').drop())).code).toBe(13);
    // Ordinary collections are still theirs.
    await admin.collection('scratch').insertOne({ a: 1 });
    expect(await admin.collection('scratch').drop()).toBe(true);
    const anon = await connect();
    const closed = await serverError(anon.db('admin').command({ createUser: 'takeover', pwd: 'x', roles: ['root'] }));
    expect(closed.message).toBe('Command createUser requires authentication');
    expect((await root.db('admin').command({ usersInfo: { user: 'root', db: 'admin' } })).users).toHaveLength(1);
    await stillServes();
  });

  it('usersInfo does not hand another database\'s users (or their keys) to a user administrator of one database', async () => {
    const shopAdmin = await connect(['shopadmin', 'shopadmin-pw', 'shop']);
    const shop = shopAdmin.db('shop');
    for (const ask of [{ user: 'root', db: 'admin' }, [{ user: 'reader', db: 'shop' }, { user: 'root', db: 'admin' }], { forAllDBs: true }]) {
      const refused = await serverError(shop.command({ usersInfo: ask, showCredentials: true }));
      expect(refused.code).toBe(13);
    }
    const own = await shop.command({ usersInfo: 1 });
    expect(own.users.map((u: Document) => u.user).sort()).toEqual(['reader', 'reader2', 'shopadmin']);
    await stillServes();
  });

  it('a pipeline nested in $facet, $lookup or $unionWith cannot read admin.system.users', async () => {
    const readAny = await connect(['readany', 'readany-pw', 'admin']);
    const notes = readAny.db('admin').collection('notes');
    const attacks: Document[][] = [
      [{ $facet: { users: [{ $unionWith: 'system.users' }] } }],
      [{ $facet: { users: [{ $lookup: { from: 'system.users', pipeline: [], as: 'u' } }] } }],
      [{ $lookup: { from: 'notes', pipeline: [{ $unionWith: { coll: 'system.users', pipeline: [] } }], as: 'u' } }],
      [{ $unionWith: { coll: 'notes', pipeline: [{ $facet: { x: [{ $lookup: { from: 'system.users', localField: 'a', foreignField: 'a', as: 'u' } }] } }] } }],
    ];
    for (const pipeline of attacks) {
      const error = await serverError(notes.aggregate(pipeline).toArray());
      expect(error.code).toBe(13);
    }
    // A nested pipeline over collections the user may read still works.
    const ok = await notes.aggregate([{ $facet: { n: [{ $unionWith: 'notes' }, { $count: 'n' }] } }]).toArray();
    expect(ok).toEqual([{ n: [{ n: 2 }] }]);
    // An update pipeline takes update stages only: no $lookup to copy the keys into a readable document.
    const rw = await connect(['rwany', 'rwany-pw', 'admin']);
    const copy = await serverError(rw.db('admin').collection('notes').updateOne({}, [{ $lookup: { from: 'system.users', pipeline: [], as: 'stolen' } }] as never));
    expect(copy.code).toBe(72);
    expect(await root.db('admin').collection('notes').countDocuments({ stolen: { $exists: true } })).toBe(0);
    await stillServes();
  });

  it('killCursors cannot kill another user\'s cursor', async () => {
    const owner = await connect(['reader', 'reader-pw', 'shop']);
    const other = await connect(['reader2', 'reader2-pw', 'shop']);
    const cursor = owner.db('shop').collection('big').find({}, { batchSize: 5 });
    await cursor.next();
    const id = cursor.id!;
    const refused = await serverError(other.db('shop').command({ killCursors: 'big', cursors: [id] }));
    expect(refused.code).toBe(13);
    expect(refused.message).toBe('not authorized to kill cursor on shop.big');
    const rest = await cursor.toArray();
    expect(rest).toHaveLength(49);
    await stillServes();
  });
});

describe('documents nested too deeply', () => {
  let lab: LabDatabase;
  let client: MongoClient;
  beforeAll(async () => {
    lab = await startLabDatabase();
    client = new MongoClient(lab.db.uri, { serverSelectionTimeoutMS: 5000 });
  });
  afterAll(async () => {
    await client?.close();
    await lab?.stop();
  });

  it('refuses an insert deeper than 100 levels with mongod\'s error, and accepts 100', async () => {
    const deep = client.db('shop').collection('deep');
    // nested(n) is n levels counting the document itself.
    await deep.insertOne({ _id: 'ok' as never, ...nested(100) });
    const error = await serverError(deep.insertOne({ _id: 'too-deep' as never, ...nested(101) }));
    expect(error.code).toBe(15);
    expect(error.codeName).toBe('Overflow');
    expect(error.message).toBe('cannot insert document because it exceeds 100 levels of nesting');
    expect(await deep.countDocuments()).toBe(1);
  });

  it('refuses an update that would make a document deeper than 100 levels', async () => {
    const deep = client.db('shop').collection('deep');
    const error = await serverError(deep.updateOne({ _id: 'ok' as never }, { $set: { extra: nested(100) } }));
    expect(error.code).toBe(15);
    expect(error.message).toBe('Document exceeds maximum nesting depth of 100');
    await deep.updateOne({ _id: 'ok' as never }, { $set: { touched: true } });
    expect(await deep.findOne({ _id: 'ok' as never }, { projection: { touched: 1 } })).toEqual({ _id: 'ok', touched: true });
  });

  it('answers a document nested 100,000 deep with Overflow and keeps the connection', async () => {
    const deep = client.db('shop').collection('deep');
    const error = await serverError(deep.insertOne(nested(100_000)));
    expect(error.code).toBe(15);
    expect(error.message).toBe('BSONObj exceeded maximum nested object depth: 200');
    expect(await deep.countDocuments()).toBe(1);
  });
});

describe('data and log files', () => {
  it('creates the journal, the snapshot and the log readable by their owner only (0600)', async () => {
    const lab = await startLabDatabase();
    const client = new MongoClient(lab.db.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      await client.db('shop').collection('users').insertOne({ email: 'a@example.com' });
      lab.db.store.checkpoint();
      const files = [join(lab.dir, 'data', 'lab-journal.bson'), join(lab.dir, 'data', 'lab-snapshot.bson'), join(lab.dir, 'mongod.log')];
      for (const file of files) expect({ file, mode: (statSync(file).mode & 0o777).toString(8) }).toEqual({ file, mode: '600' });
      expect((statSync(join(lab.dir, 'data')).mode & 0o077)).toBe(0);
      expect(await client.db('shop').collection('users').countDocuments()).toBe(1);
    } finally {
      await client.close();
      await lab.stop();
    }
  });

  it('a log written without logAppend is created 0600 too', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const { MongodLog } = await import('../../sandboxes/database/log/mongod-log.ts');
      const path = join(dir, 'fresh.log');
      const log = new MongodLog({ path });
      log.write({ s: 'I', c: 'CONTROL', id: 1, ctx: 'test', msg: 'hello' });
      expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
    } finally {
      cleanup();
    }
  });
});
