/**
 * Data and users survive a restart, including a restart with a changed mongod.conf; a write
 * cut short by a crash is dropped (it was never acknowledged); damaged storage stops start-up
 * with the file named, and nothing is rewritten.
 */
import { appendFileSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startDatabase, StorageError } from '../../sandboxes/database/index.ts';
import { JOURNAL_FILE, SNAPSHOT_FILE } from '../../sandboxes/database/storage/durable-log.ts';
import { Store } from '../../sandboxes/database/storage/store.ts';
import { scratchDir, startLabDatabase, type LabDatabase } from './support/harness.ts';

const labs: LabDatabase[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((l) => l.stop()));
});

async function withClient<T>(uri: string, fn: (c: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

describe('persistence under storage.dbPath', () => {
  it('keeps data, indexes and users across a restart, also after turning authorization on', async () => {
    const lab = await startLabDatabase();
    labs.push(lab);
    await withClient(lab.db.uri, async (c) => {
      const pets = c.db('shop').collection('pets');
      await pets.insertMany([{ name: 'Bella', n: 1 }, { name: 'Max', n: 2 }, { name: 'Luna', n: 3 }]);
      await pets.updateOne({ name: 'Max' }, { $set: { n: 20 } });
      await pets.deleteOne({ name: 'Luna' });
      await pets.createIndex({ name: 1 }, { unique: true });
      await c.db('admin').command({ createUser: 'root', pwd: 'hunter2', roles: ['root'] });
    });
    const text = readFileSync(lab.configPath, 'utf8').replace('authorization: disabled', 'authorization: enabled');
    const db = await lab.restart(text);
    const authed = db.uri.replace('mongodb://', 'mongodb://root:hunter2@');
    await withClient(authed, async (c) => {
      const pets = c.db('shop').collection('pets');
      expect(await pets.find({}, { projection: { _id: 0 } }).sort({ name: 1 }).toArray()).toEqual([
        { name: 'Bella', n: 1 },
        { name: 'Max', n: 20 },
      ]);
      expect((await pets.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'name_1']);
      expect((await pets.insertOne({ name: 'Bella' }).catch((e) => e)).code).toBe(11000);
    });
    // And again, to replay a journal on top of a snapshot.
    const again = await lab.restart();
    await withClient(again.uri.replace('mongodb://', 'mongodb://root:hunter2@'), async (c) => {
      expect(await c.db('shop').collection('pets').countDocuments()).toBe(2);
    });
  });

  it('keeps dropped collections and databases dropped', async () => {
    const lab = await startLabDatabase();
    labs.push(lab);
    await withClient(lab.db.uri, async (c) => {
      await c.db('a').collection('x').insertOne({ v: 1 });
      await c.db('b').collection('y').insertOne({ v: 1 });
      await c.db('b').collection('z').insertOne({ v: 1 });
      await c.db('a').dropDatabase();
      await c.db('b').collection('y').drop();
    });
    const db = await lab.restart();
    await withClient(db.uri, async (c) => {
      const names = (await c.db('admin').admin().listDatabases()).databases.map((d) => d.name);
      expect(names).not.toContain('a');
      expect((await c.db('b').listCollections().toArray()).map((x) => x.name)).toEqual(['z']);
    });
  });

  it('compacts a large journal into a snapshot and still reads everything back', () => {
    const { dir, cleanup } = scratchDir();
    try {
      const store = new Store(dir);
      const coll = store.ensureCollection('big', 'docs');
      const filler = 'x'.repeat(2000);
      for (let i = 0; i < 6000; i++) {
        store.insert(coll, { _id: i, filler });
        if (i % 100 === 0) store.commit();
      }
      store.commit();
      store.close();
      expect(statSync(join(dir, SNAPSHOT_FILE)).size).toBeGreaterThan(4 * 1024 * 1024);
      expect(statSync(join(dir, JOURNAL_FILE)).size).toBeLessThan(8 * 1024 * 1024);
      const reopened = new Store(dir);
      expect(reopened.collection('big', 'docs')!.size).toBe(6000);
      reopened.close();
    } finally {
      cleanup();
    }
  });

  it('drops a write cut short at the end of the journal, and keeps everything before it', () => {
    const { dir, cleanup } = scratchDir();
    try {
      const store = new Store(dir);
      const coll = store.ensureCollection('shop', 'pets');
      store.insert(coll, { _id: 1, name: 'Bella' });
      store.commit();
      store.close();
      // A crash in the middle of appending the next record.
      appendFileSync(join(dir, JOURNAL_FILE), Buffer.from([0x40, 0x00, 0x00, 0x00, 0x02, 0x6f]));
      const reopened = new Store(dir);
      expect(reopened.warnings.join('\n')).toContain('cut short');
      expect(reopened.collection('shop', 'pets')!.size).toBe(1);
      reopened.close();
    } finally {
      cleanup();
    }
  });

  it('refuses to start on a damaged journal, naming the file, and leaves the files untouched', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const store = new Store(dir);
      const coll = store.ensureCollection('shop', 'pets');
      store.insert(coll, { _id: 1, name: 'Bella' });
      store.insert(coll, { _id: 2, name: 'Max' });
      store.commit();
      store.close();
      const journal = join(dir, JOURNAL_FILE);
      const bytes = readFileSync(journal);
      bytes.writeInt32LE(-5, bytes.length - 30);
      writeFileSync(journal, bytes);
      const before = readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('hex')]);
      const config = (await import('../../sandboxes/database/index.ts')).parseMongodConfig(`storage:\n  dbPath: ${dir}\n`, dir);
      const error = await startDatabase({ config, portOverride: 0 }).catch((e) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect(error.message).toContain(journal);
      expect(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('hex')])).toEqual(before);
    } finally {
      cleanup();
    }
  });
});
