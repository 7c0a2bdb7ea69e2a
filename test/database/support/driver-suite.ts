/**
 * The driver suite: what an application (and the course's tools) do with the official
 * `mongodb` driver v7. It runs against our server and, when one can start, against a real
 * mongod; where the two differ, ours is wrong.
 */
import { Long, MongoClient, type CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverError } from './server-error.ts';

export interface SuiteTarget {
  uri: string;
  stop(): Promise<void>;
}

export type StartTarget = (options: { auth: boolean }) => Promise<SuiteTarget>;

function withCredentials(uri: string, user: string, pwd: string, query = ''): string {
  return uri.replace('mongodb://', `mongodb://${encodeURIComponent(user)}:${encodeURIComponent(pwd)}@`) + `/${query}`;
}

export function defineDriverSuite(label: string, start: StartTarget): void {
  describe(`${label}: driver, open server`, () => {
    let target: SuiteTarget;
    let client: MongoClient;
    const commands: CommandStartedEvent[] = [];

    beforeAll(async () => {
      target = await start({ auth: false });
      client = new MongoClient(target.uri, { monitorCommands: true, serverSelectionTimeoutMS: 5000 });
      client.on('commandStarted', (event) => commands.push(event));
      await client.connect();
    });
    afterAll(async () => {
      await client?.close();
      await target?.stop();
    });

    it('inserts and finds with filter, projection, sort, skip and limit', async () => {
      const pets = client.db('suite').collection('pets');
      await pets.insertMany([
        { name: 'Bella', kind: 'bear', age: 3 },
        { name: 'Max', kind: 'cat', age: 5 },
        { name: 'Luna', kind: 'bear', age: 1 },
        { name: 'Oscar', kind: 'dog', age: 7 },
      ]);
      const bears = await pets.find({ kind: 'bear' }, { projection: { _id: 0, name: 1 } }).sort({ age: 1 }).toArray();
      expect(bears).toEqual([{ name: 'Luna' }, { name: 'Bella' }]);
      const page = await pets.find({}, { projection: { _id: 0, name: 1 } }).sort({ age: -1 }).skip(1).limit(2).toArray();
      expect(page).toEqual([{ name: 'Max' }, { name: 'Bella' }]);
      const excluded = await pets.findOne({ name: 'Max' }, { projection: { _id: 0, kind: 0 } });
      expect(excluded).toEqual({ name: 'Max', age: 5 });
      expect(await pets.findOne({ age: { $gt: 4, $lt: 6 } })).toMatchObject({ name: 'Max' });
      expect(await pets.findOne({ name: 'Nobody' })).toBeNull();
    });

    it('serves a cursor larger than one batch through getMore', async () => {
      const accounts = client.db('suite').collection('accounts');
      await accounts.insertMany(Array.from({ length: 1234 }, (_, i) => ({ i, email: `user${i}@example.com` })));
      commands.length = 0;
      const all = await accounts.find({}, { batchSize: 100 }).sort({ i: 1 }).toArray();
      expect(all).toHaveLength(1234);
      expect(all.map((d) => d.i)).toEqual(Array.from({ length: 1234 }, (_, i) => i));
      const getMores = commands.filter((c) => c.commandName === 'getMore');
      expect(getMores.length).toBe(12);
      expect(getMores[0]!.command.getMore).toBeInstanceOf(Long);
      // Default batches: 101 first, then the rest in one getMore.
      commands.length = 0;
      expect(await accounts.find({}).toArray()).toHaveLength(1234);
      expect(commands.filter((c) => c.commandName === 'getMore')).toHaveLength(1);
      // limit caps the total across batches.
      expect(await accounts.find({}, { batchSize: 7 }).limit(20).toArray()).toHaveLength(20);
    });

    it('closes a cursor early with killCursors, then reports it gone', async () => {
      const accounts = client.db('suite').collection('accounts');
      const cursor = accounts.find({}, { batchSize: 10 });
      await cursor.next();
      const id = cursor.id!;
      await cursor.close();
      const error = await serverError(client.db('suite').command({ getMore: id, collection: 'accounts' }));
      expect(error.code).toBe(43);
      expect(error.codeName).toBe('CursorNotFound');
    });

    it('counts with countDocuments and estimatedDocumentCount', async () => {
      const accounts = client.db('suite').collection('accounts');
      expect(await accounts.estimatedDocumentCount()).toBe(1234);
      expect(await accounts.countDocuments()).toBe(1234);
      expect(await accounts.countDocuments({ i: { $lt: 100 } })).toBe(100);
      expect(await accounts.countDocuments({}, { skip: 1200, limit: 50 })).toBe(34);
      expect(await client.db('suite').collection('missing').countDocuments()).toBe(0);
    });

    it('aggregates with $match $project $group $sort $skip $limit $count $unwind $lookup', async () => {
      const db = client.db('suite');
      await db.collection('owners').insertMany([
        { _id: 1 as never, email: 'a@example.com', pets: ['Bella', 'Luna'] },
        { _id: 2 as never, email: 'b@example.com', pets: ['Max'] },
      ]);
      await db.collection('recordings').insertMany([
        { owner: 1, seconds: 4 },
        { owner: 1, seconds: 6 },
        { owner: 2, seconds: 10 },
      ]);
      const perKind = await db
        .collection('pets')
        .aggregate([{ $match: { age: { $gte: 1 } } }, { $group: { _id: '$kind', n: { $sum: 1 } } }, { $sort: { _id: 1 } }, { $skip: 1 }, { $limit: 1 }])
        .toArray();
      expect(perKind).toEqual([{ _id: 'cat', n: 1 }]);
      const unwound = await db.collection('owners').aggregate([{ $unwind: '$pets' }, { $count: 'pets' }]).toArray();
      expect(unwound).toEqual([{ pets: 3 }]);
      const joined = await db
        .collection('owners')
        .aggregate([
          { $lookup: { from: 'recordings', localField: '_id', foreignField: 'owner', as: 'clips' } },
          { $project: { _id: 0, email: 1, total: { $sum: '$clips.seconds' } } },
          { $sort: { email: 1 } },
        ])
        .toArray();
      expect(joined).toEqual([
        { email: 'a@example.com', total: 10 },
        { email: 'b@example.com', total: 10 },
      ]);
    });

    it('updates, upserts and deletes', async () => {
      const pets = client.db('suite').collection('pets');
      const one = await pets.updateOne({ name: 'Max' }, { $set: { age: 6 }, $push: { tags: 'vet' } as never });
      expect([one.matchedCount, one.modifiedCount]).toEqual([1, 1]);
      const same = await pets.updateOne({ name: 'Max' }, { $set: { age: 6 } });
      expect([same.matchedCount, same.modifiedCount]).toEqual([1, 0]);
      const many = await pets.updateMany({ kind: 'bear' }, { $inc: { age: 1 } });
      expect(many.modifiedCount).toBe(2);
      const upsert = await pets.updateOne({ name: 'Nala' }, { $set: { kind: 'lion' }, $setOnInsert: { age: 0 } }, { upsert: true });
      expect(upsert.upsertedCount).toBe(1);
      expect(await pets.findOne({ name: 'Nala' }, { projection: { _id: 0 } })).toEqual({ name: 'Nala', kind: 'lion', age: 0 });
      const replaced = await pets.replaceOne({ name: 'Oscar' }, { name: 'Oscar', kind: 'dog', age: 8 });
      expect(replaced.modifiedCount).toBe(1);
      expect(await pets.findOne({ name: 'Oscar' }, { projection: { _id: 0 } })).toEqual({ name: 'Oscar', kind: 'dog', age: 8 });
      const immutable = await serverError(pets.updateOne({ name: 'Oscar' }, { $set: { _id: 'x' } }));
      expect(immutable.code).toBe(66);
      const unknownOp = await serverError(pets.updateOne({ name: 'Oscar' }, { $frobnicate: { a: 1 } } as never));
      expect(unknownOp.code).toBe(9);
      expect((await pets.deleteOne({ name: 'Nala' })).deletedCount).toBe(1);
      expect((await pets.deleteMany({ kind: 'bear' })).deletedCount).toBe(2);
      expect(await pets.countDocuments()).toBe(2);
    });

    it('keeps int64 values as int64: on insert, and in fields an update does not touch', async () => {
      const counters = client.db('suite').collection('counters');
      try {
        await counters.insertOne({ total: Long.fromNumber(5), nested: { big: Long.fromNumber(7) }, label: 'a' });
        const inserted = await counters.findOne({}, { promoteLongs: false });
        expect(inserted?.total).toBeInstanceOf(Long);
        expect(Object.keys(inserted ?? {})[0]).toBe('_id'); // stored first, as mongod does
        await counters.updateOne({}, { $set: { label: 'b' } });
        const updated = await counters.findOne({}, { promoteLongs: false });
        expect(updated?.total).toBeInstanceOf(Long);
        expect((updated?.nested as { big: unknown }).big).toBeInstanceOf(Long);
        expect(updated?.label).toBe('b');
      } finally {
        await counters.drop();
      }
    });

    it('writes int64 where $set, $inc, a replacement or findAndModify carry Long operands', async () => {
      const counters = client.db('suite').collection('counters64');
      const asLong = { promoteLongs: false } as const;
      try {
        await counters.insertMany([{ _id: 'set' as never, n: 1 }, { _id: 'inc' as never, n: 1 }, { _id: 'stored' as never, n: Long.fromNumber(10) }, { _id: 'fam' as never, n: 1 }]);
        await counters.updateOne({ _id: 'set' as never }, { $set: { n: Long.fromNumber(5), 'deep.m': Long.fromNumber(6) } });
        const set = await counters.findOne({ _id: 'set' as never }, asLong);
        expect(set?.n).toBeInstanceOf(Long);
        expect((set?.deep as { m: unknown }).m).toBeInstanceOf(Long);
        // int32 + int64 is int64, and a missing field incremented by an int64 is that int64.
        await counters.updateOne({ _id: 'inc' as never }, { $inc: { n: Long.fromNumber(2), fresh: Long.fromNumber(3) } });
        const inc = await counters.findOne({ _id: 'inc' as never }, asLong);
        expect(inc?.n).toEqual(Long.fromNumber(3));
        expect(inc?.fresh).toEqual(Long.fromNumber(3));
        // An int64 field stays int64 when incremented by an int32, and stays exact past 2^53.
        await counters.updateOne({ _id: 'stored' as never }, { $inc: { n: 1 } });
        expect((await counters.findOne({ _id: 'stored' as never }, asLong))?.n).toEqual(Long.fromNumber(11));
        await counters.updateOne({ _id: 'stored' as never }, { $set: { n: Long.fromString('9007199254740993') } });
        await counters.updateOne({ _id: 'stored' as never }, { $inc: { n: Long.fromNumber(2) } });
        expect(((await counters.findOne({ _id: 'stored' as never }, asLong))?.n as Long).toString()).toBe('9007199254740995');
        await counters.replaceOne({ _id: 'set' as never }, { n: Long.fromNumber(7) });
        expect((await counters.findOne({ _id: 'set' as never }, asLong))?.n).toBeInstanceOf(Long);
        const after = await counters.findOneAndUpdate({ _id: 'fam' as never }, { $set: { n: Long.fromNumber(8) } }, { returnDocument: 'after', promoteLongs: false });
        expect(after?.n).toBeInstanceOf(Long);
        await counters.updateOne({ _id: 'up' as never }, { $set: { n: Long.fromNumber(9) } }, { upsert: true });
        expect((await counters.findOne({ _id: 'up' as never }, asLong))?.n).toBeInstanceOf(Long);
        // Queries still compare int64 values as numbers.
        expect(await counters.countDocuments({ n: { $gte: 7, $lte: 9 } })).toBe(3);
      } finally {
        await counters.drop();
      }
    });

    it('findOneAndUpdate / findOneAndReplace / findOneAndDelete (findAndModify)', async () => {
      const pets = client.db('suite').collection('pets');
      const before = await pets.findOneAndUpdate({ name: 'Max' }, { $set: { age: 9 } }, { projection: { _id: 0, age: 1 } });
      expect(before).toEqual({ age: 6 });
      const after = await pets.findOneAndUpdate({ name: 'Max' }, { $inc: { age: 1 } }, { returnDocument: 'after', projection: { _id: 0, age: 1 } });
      expect(after).toEqual({ age: 10 });
      const upserted = await pets.findOneAndUpdate({ name: 'Kiki' }, { $set: { kind: 'bird' } }, { upsert: true, returnDocument: 'after', projection: { _id: 0 } });
      expect(upserted).toEqual({ name: 'Kiki', kind: 'bird' });
      const replaced = await pets.findOneAndReplace({ name: 'Kiki' }, { name: 'Kiki', kind: 'parrot' }, { returnDocument: 'after', projection: { _id: 0 } });
      expect(replaced).toEqual({ name: 'Kiki', kind: 'parrot' });
      const deleted = await pets.findOneAndDelete({ name: 'Kiki' }, { projection: { _id: 0, name: 1 } });
      expect(deleted).toEqual({ name: 'Kiki' });
      expect(await pets.findOneAndDelete({ name: 'Kiki' })).toBeNull();
    });

    it('creates, lists and drops indexes; a unique index refuses duplicates with 11000', async () => {
      const accounts = client.db('suite').collection('accounts');
      expect(await accounts.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
      const indexes = await accounts.listIndexes().toArray();
      expect(indexes.map((i) => i.name)).toEqual(['_id_', 'email_1']);
      expect(indexes[1]).toMatchObject({ v: 2, key: { email: 1 }, name: 'email_1', unique: true });
      const dup = await serverError(accounts.insertOne({ email: 'user5@example.com' }));
      expect(dup.code).toBe(11000);
      expect(dup.message).toContain('E11000 duplicate key error collection: suite.accounts index: email_1 dup key: { email: "user5@example.com" }');
      const dupId = await serverError(accounts.insertOne({ _id: (await accounts.findOne({ i: 1 }))!._id, x: 1 }));
      expect(dupId.code).toBe(11000);
      await accounts.dropIndex('email_1');
      expect((await accounts.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    });

    it('lists databases and collections, drops collections and databases', async () => {
      const admin = client.db('admin').admin();
      const names = (await admin.listDatabases()).databases.map((d) => d.name);
      expect(names).toEqual(expect.arrayContaining(['admin', 'local', 'suite']));
      const colls = (await client.db('suite').listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
      expect(colls).toEqual(['accounts', 'owners', 'pets', 'recordings']);
      await client.db('scratch').collection('tmp').insertOne({ a: 1 });
      expect(await client.db('scratch').collection('tmp').drop()).toBe(true);
      await client.db('scratch').collection('tmp2').insertOne({ a: 1 });
      expect(await client.db('scratch').dropDatabase()).toBe(true);
      expect((await admin.listDatabases()).databases.map((d) => d.name)).not.toContain('scratch');
    });

    it('lists its commands with a line of help each (listCommands)', async () => {
      const { commands } = await client.db('admin').command({ listCommands: 1 });
      for (const name of ['find', 'insert', 'update', 'aggregate', 'hello', 'createUser', 'usersInfo', 'killCursors']) {
        expect(typeof commands[name]?.help, name).toBe('string');
        expect(commands[name].help.length, name).toBeGreaterThan(0);
      }
    });

    it('answers an unknown command with 59 CommandNotFound', async () => {
      const error = await serverError(client.db('suite').command({ frobnicate: 1 }));
      expect(error.code).toBe(59);
      expect(error.codeName).toBe('CommandNotFound');
      expect(error.message).toBe("no such command: 'frobnicate'");
    });
  });

  describe(`${label}: driver, authorization enabled`, () => {
    let target: SuiteTarget;
    const clients: MongoClient[] = [];
    const connect = async (uri: string) => {
      const c = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
      clients.push(c);
      await c.connect();
      return c;
    };

    beforeAll(async () => {
      target = await start({ auth: true });
    });
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await target?.stop();
    });

    it('refuses an unauthenticated command with 13, except the localhost exception', async () => {
      const anon = await connect(target.uri);
      const refused = await serverError(anon.db('admin').admin().listDatabases());
      expect(refused.code).toBe(13);
      expect(refused.codeName).toBe('Unauthorized');
      expect(refused.message).toBe('Command listDatabases requires authentication');
      // No user yet, client on localhost: the first user may be created.
      await anon.db('admin').command({ createUser: 'root', pwd: 'hunter2', roles: ['root'] });
      const closed = await serverError(anon.db('admin').command({ createUser: 'second', pwd: 'x', roles: ['root'] }));
      expect(closed.code).toBe(13);
      expect(closed.message).toBe('Command createUser requires authentication');
    });

    it('logs in with SCRAM-SHA-256 and SCRAM-SHA-1', async () => {
      const root = await connect(withCredentials(target.uri, 'root', 'hunter2', '?authSource=admin'));
      await root.db('petshop').command({ createUser: 'sha1only', pwd: 'old-school', roles: ['read'], mechanisms: ['SCRAM-SHA-1'] });
      await root.db('petshop').command({ createUser: 'ünïcode', pwd: 'pässwörd', roles: ['readWrite'] });
      await root.db('petshop').collection('pets').insertOne({ name: 'Bella' });
      for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-1']) {
        const c = await connect(withCredentials(target.uri, 'root', 'hunter2', `?authSource=admin&authMechanism=${mechanism}`));
        const status = await c.db('admin').command({ connectionStatus: 1 });
        expect(status.authInfo.authenticatedUsers).toEqual([{ user: 'root', db: 'admin' }]);
      }
      // Negotiated from saslSupportedMechs: a SHA-1-only user still logs in without naming the mechanism.
      const old = await connect(withCredentials(target.uri, 'sha1only', 'old-school', '?authSource=petshop'));
      expect(await old.db('petshop').collection('pets').countDocuments()).toBe(1);
      const intl = await connect(withCredentials(target.uri, 'ünïcode', 'pässwörd', '?authSource=petshop'));
      expect(await intl.db('petshop').collection('pets').countDocuments()).toBe(1);
    });

    it('refuses a wrong password and an unknown user with 18 AuthenticationFailed', async () => {
      for (const uri of [withCredentials(target.uri, 'root', 'wrong', '?authSource=admin'), withCredentials(target.uri, 'nobody', 'x', '?authSource=admin')]) {
        const c = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
        clients.push(c);
        const error = await serverError(c.connect());
        expect(error.code).toBe(18);
        expect(error.codeName).toBe('AuthenticationFailed');
        expect(error.message).toBe('Authentication failed.');
      }
    });

    it('lets a read-only user read but not write (13)', async () => {
      const root = await connect(withCredentials(target.uri, 'root', 'hunter2', '?authSource=admin'));
      await root.db('petshop').command({ createUser: 'reader', pwd: 'readpw', roles: [{ role: 'read', db: 'petshop' }] });
      const reader = await connect(withCredentials(target.uri, 'reader', 'readpw', '?authSource=petshop'));
      expect(await reader.db('petshop').collection('pets').countDocuments()).toBe(1);
      const refused = await serverError(reader.db('petshop').collection('pets').insertOne({ name: 'Intruder' }));
      expect(refused.code).toBe(13);
      expect(refused.message).toMatch(/^not authorized on petshop to execute command \{ insert: "pets"/);
      const otherDb = await serverError(reader.db('other').collection('x').findOne({}));
      expect(otherDb.code).toBe(13);
      // listDatabases without the cluster privilege shows only what the user may use.
      const names = (await reader.db('admin').admin().listDatabases()).databases.map((d) => d.name);
      expect(names).toEqual(['petshop']);
    });

    it('manages users: usersInfo, grantRolesToUser, revokeRolesFromUser, updateUser, dropUser', async () => {
      const root = await connect(withCredentials(target.uri, 'root', 'hunter2', '?authSource=admin'));
      const petshop = root.db('petshop');
      await petshop.command({ grantRolesToUser: 'reader', roles: ['readWrite'] });
      let info = await petshop.command({ usersInfo: 'reader' });
      expect(info.users[0].roles).toEqual(expect.arrayContaining([{ role: 'read', db: 'petshop' }, { role: 'readWrite', db: 'petshop' }]));
      expect(info.users[0].credentials).toBeUndefined();
      const writer = await connect(withCredentials(target.uri, 'reader', 'readpw', '?authSource=petshop'));
      await writer.db('petshop').collection('pets').insertOne({ name: 'Now allowed' });
      await petshop.command({ revokeRolesFromUser: 'reader', roles: ['readWrite'] });
      info = await petshop.command({ usersInfo: 1 });
      expect(info.users.map((u: { user: string }) => u.user).sort()).toEqual(['reader', 'sha1only', 'ünïcode']);
      await petshop.command({ updateUser: 'reader', pwd: 'newpw' });
      const relogin = new MongoClient(withCredentials(target.uri, 'reader', 'readpw', '?authSource=petshop'), { serverSelectionTimeoutMS: 5000 });
      clients.push(relogin);
      expect((await serverError(relogin.connect())).code).toBe(18);
      await petshop.command({ dropUser: 'reader' });
      expect((await petshop.command({ usersInfo: 'reader' })).users).toEqual([]);
      const badRole = await serverError(petshop.command({ createUser: 'x', pwd: 'y', roles: ['readAnyDatabase'] }));
      expect(badRole.code).toBe(31);
    });
  });
}
