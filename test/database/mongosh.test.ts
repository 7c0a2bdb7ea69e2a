/**
 * mongosh, the shell learners type into, against our server: the REPL commands (show dbs,
 * use, show collections, show users) through its prompt, and scripted checks through --file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, mongosh, mongoshTyped, startLabDatabase, type LabDatabase } from './support/harness.ts';

describe('mongosh against an open server', () => {
  let lab: LabDatabase;
  beforeAll(async () => {
    lab = await startLabDatabase();
  });
  afterAll(async () => lab?.stop());

  it('runs CRUD, cursors, counts, aggregation, findAndModify and indexes from a script', async () => {
    const script = `
      const shop = db.getSiblingDB('shop');
      shop.pets.insertMany([{name: 'Bella', kind: 'bear', age: 3}, {name: 'Max', kind: 'cat', age: 5}, {name: 'Luna', kind: 'bear', age: 1}]);
      shop.accounts.insertMany(Array.from({length: 250}, (_, i) => ({i, email: 'user' + i + '@example.com'})));
      const out = (o) => print(JSON.stringify(o));
      out({find: shop.pets.find({kind: 'bear'}, {_id: 0, name: 1}).sort({age: -1}).toArray()});
      out({page: shop.pets.find({}, {_id: 0, name: 1}).sort({age: 1}).skip(1).limit(1).toArray()});
      out({cursor: shop.accounts.find().batchSize(40).toArray().length});
      out({count: shop.accounts.countDocuments({i: {$gte: 200}}), estimated: shop.accounts.estimatedDocumentCount()});
      out({agg: shop.pets.aggregate([{$group: {_id: '$kind', n: {$sum: 1}}}, {$sort: {_id: 1}}]).toArray()});
      out({upd: shop.pets.updateOne({name: 'Max'}, {$set: {age: 6}}).modifiedCount, del: shop.pets.deleteOne({name: 'Luna'}).deletedCount});
      out({fam: shop.pets.findOneAndUpdate({name: 'Max'}, {$inc: {age: 1}}, {returnDocument: 'after', projection: {_id: 0, age: 1}})});
      out({idx: shop.accounts.createIndex({email: 1}, {unique: true}), list: shop.accounts.getIndexes().map((i) => i.name)});
      try { shop.accounts.insertOne({email: 'user1@example.com'}); } catch (e) { out({dupCode: e.code}); }
      out({dbs: db.adminCommand({listDatabases: 1}).databases.map((d) => d.name)});
      try { db.runCommand({frobnicate: 1}); } catch (e) { out({unknownCode: e.code, msg: e.message}); }
      out({distinct: shop.pets.distinct('kind').sort(), firstKey: Object.keys(shop.pets.findOne())[0]});
      out({statsCount: shop.accounts.stats().count, currentOp: db.currentOp().inprog.length});
    `;
    const result = await mongosh(lab.db.uri, script);
    expect(result.stderr).toBe('');
    const lines = jsonLines(result.stdout);
    expect(lines).toEqual([
      { find: [{ name: 'Bella' }, { name: 'Luna' }] },
      { page: [{ name: 'Bella' }] },
      { cursor: 250 },
      { count: 50, estimated: 250 },
      { agg: [{ _id: 'bear', n: 2 }, { _id: 'cat', n: 1 }] },
      { upd: 1, del: 1 },
      { fam: { age: 7 } },
      { idx: 'email_1', list: ['_id_', 'email_1'] },
      { dupCode: 11000 },
      { dbs: ['admin', 'local', 'shop'] },
      { unknownCode: 59, msg: "no such command: 'frobnicate'" },
      { distinct: ['bear', 'cat'], firstKey: '_id' },
      { statsCount: 250, currentOp: 0 },
    ]);
  });

  it('shows dbs, switches with use, shows collections and users at the prompt', async () => {
    const result = await mongoshTyped(lab.db.uri, [
      'show dbs',
      'use shop',
      'show collections',
      'db.createUser({user: "app", pwd: "app-secret", roles: ["readWrite"]})',
      'show users',
      'db.getUsers().users.length',
    ]);
    const out = result.stdout;
    expect(out).toMatch(/admin\s+\d/);
    expect(out).toMatch(/shop\s+\d/);
    expect(out).toContain('switched to db shop');
    expect(out).toMatch(/accounts\s*\n.*pets/s);
    expect(out).toContain("user: 'app'");
    expect(out).toContain("roles: [ { role: 'readWrite', db: 'shop' } ]");
    expect(out).toContain("mechanisms: [ 'SCRAM-SHA-1', 'SCRAM-SHA-256' ]");
    expect(out).not.toContain('credentials');
    expect(out).toMatch(/shop> 1\s*$/m);
  });

  it('still shows the data and users after a restart', async () => {
    const db = await lab.restart();
    const result = await mongosh(db.uri, `
      const shop = db.getSiblingDB('shop');
      print(JSON.stringify({pets: shop.pets.find({}, {_id: 0, name: 1}).sort({name: 1}).toArray(), accounts: shop.accounts.countDocuments(), users: shop.getUsers().users.map((u) => u.user)}));
    `);
    expect(jsonLines(result.stdout)).toEqual([{ pets: [{ name: 'Bella' }, { name: 'Max' }], accounts: 250, users: ['app'] }]);
  });

  it('shows the "Access control is not enabled" startup warning when connecting', async () => {
    const result = await mongoshTyped(lab.db.uri, ['db.version()'], []);
    // --quiet hides the banner; the warning is what getLog startupWarnings returns.
    const warnings = await mongosh(lab.db.uri, 'print(JSON.stringify(db.adminCommand({getLog: "startupWarnings"})))');
    expect(result.stdout).toContain('7.0.14');
    const log = jsonLines(warnings.stdout)[0]!.log as string[];
    expect(log.map((l) => JSON.parse(l).id)).toContain(22120);
    expect(log.join('\n')).toContain('Access control is not enabled for the database');
  });
});

describe('mongosh against a server with authorization enabled', () => {
  let lab: LabDatabase;
  beforeAll(async () => {
    lab = await startLabDatabase({ auth: true });
  });
  afterAll(async () => lab?.stop());

  it('is refused with mongod\'s error until it logs in; localhost exception; SHA-256 and SHA-1; wrong password; read-only user', async () => {
    const refused = await mongoshTyped(lab.db.uri, ['show dbs']);
    expect(refused.stdout + refused.stderr).toContain('MongoServerError[Unauthorized]: Command listDatabases requires authentication');

    const first = await mongosh(lab.db.uri, `
      db.getSiblingDB('admin').createUser({user: 'root', pwd: 'hunter2', roles: ['root']});
      print(JSON.stringify({created: true}));
      try { db.getSiblingDB('admin').createUser({user: 'second', pwd: 'x', roles: ['root']}); } catch (e) { print(JSON.stringify({code: e.code, msg: e.message})); }
    `);
    expect(jsonLines(first.stdout)).toEqual([{ created: true }, { code: 13, msg: 'Command createUser requires authentication' }]);

    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-1']) {
      const ok = await mongosh(lab.db.uri, `
        db.getSiblingDB('shop').pets.insertOne({name: 'Bella'});
        print(JSON.stringify({user: db.runCommand({connectionStatus: 1}).authInfo.authenticatedUsers, n: db.getSiblingDB('shop').pets.countDocuments()}));
      `, ['-u', 'root', '-p', 'hunter2', '--authenticationDatabase', 'admin', '--authenticationMechanism', mechanism]);
      expect(jsonLines(ok.stdout)[0]).toMatchObject({ user: [{ user: 'root', db: 'admin' }] });
    }

    const wrong = await mongosh(lab.db.uri, 'print("should not run")', ['-u', 'root', '-p', 'nope', '--authenticationDatabase', 'admin']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout + wrong.stderr).toContain('MongoServerError: Authentication failed.');
    expect(wrong.stdout).not.toContain('should not run');

    await mongosh(lab.db.uri, `db.getSiblingDB('shop').createUser({user: 'reader', pwd: 'readpw', roles: ['read']})`, ['-u', 'root', '-p', 'hunter2', '--authenticationDatabase', 'admin']);
    const reader = await mongosh(lab.db.uri, `
      const shop = db.getSiblingDB('shop');
      print(JSON.stringify({n: shop.pets.countDocuments()}));
      try { shop.pets.insertOne({name: 'Intruder'}); } catch (e) { print(JSON.stringify({code: e.code, name: e.codeName})); }
    `, ['-u', 'reader', '-p', 'readpw', '--authenticationDatabase', 'shop']);
    expect(jsonLines(reader.stdout)).toEqual([{ n: 2 }, { code: 13, name: 'Unauthorized' }]);
    // Six mongosh processes one after the other: on a loaded two-core machine each start takes
    // seconds, so this test gets more than the project's 60 s (it asserts no time).
  }, 180_000);
});
