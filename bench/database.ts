/**
 * Database benchmark: the full CloudPets size (821,396 accounts) dumped through the official
 * driver (find + getMore), next to plain BSON serialize+deserialize of the same documents in
 * the same run. Also: memory per 100,000 documents held, and what persistence costs
 * (snapshot write, restart, one durable write).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, ObjectId, serialize, type Document } from 'bson';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MongoClient } from 'mongodb';
import { startDatabase } from '../sandboxes/database/index.ts';
import { Store } from '../sandboxes/database/storage/store.ts';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 821_396);
const HASH_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function account(i: number): Document {
  // bcrypt-like: "$2a$10$" + 53 characters of salt and hash (fake, never a real password's).
  let hash = '$2a$10$';
  let x = (i * 2654435761) >>> 0;
  for (let k = 0; k < 53; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    hash += HASH_ALPHABET[x % 64];
  }
  return {
    _id: ObjectId.createFromTime(1_420_070_400 + i),
    email: `owner${i}@example.com`,
    password: hash,
    name: `Pet Owner ${i}`,
    created: new Date(Date.UTC(2015, 0, 1) + i * 37_000),
  };
}

/** A full GC between measurements, so "memory held" is what stays reachable. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heldNow(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')} docs/s`;
}

export async function run(): Promise<void> {
  console.log(`database benchmark: ${ACCOUNTS.toLocaleString('en-US')} account documents`);
  const docs = Array.from({ length: ACCOUNTS }, (_, i) => account(i));

  // Baseline: plain BSON serialize + deserialize of the same documents.
  let t = performance.now();
  let bytes = 0;
  for (const doc of docs) {
    const raw = serialize(doc);
    bytes += raw.length;
    deserialize(raw);
  }
  const baselineMs = performance.now() - t;
  console.log(`  baseline BSON serialize+deserialize: ${rate(ACCOUNTS, baselineMs)} (${mb(bytes)} of BSON, ${Math.round(baselineMs)} ms)`);

  // Memory held by the server per 100,000 documents.
  const db = await startDatabase({ portOverride: 0 });
  t = performance.now();
  const coll = db.store.bulkLoad('cloudpets', 'accounts', docs);
  const seedMs = performance.now() - t;
  docs.length = 0;
  console.log(`  seeded through the storage layer in ${Math.round(seedMs)} ms`);

  // Dump through the official driver: find + getMore, every document deserialized by the client.
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const client = new MongoClient(db.uri, { monitorCommands: true });
  let getMores = 0;
  client.on('commandStarted', (e) => e.commandName === 'getMore' && getMores++);
  await client.connect();
  t = performance.now();
  let seen = 0;
  for await (const doc of client.db('cloudpets').collection('accounts').find({})) {
    if (doc.email) seen++;
  }
  const dumpMs = performance.now() - t;
  clearInterval(sampler);
  const dumpRate = ACCOUNTS / dumpMs;
  const baseRate = ACCOUNTS / baselineMs;
  console.log(`  driver dump (find + ${getMores} getMore): ${rate(seen, dumpMs)} (${Math.round(dumpMs)} ms)`);
  console.log(`  dump vs baseline: ${((dumpRate / baseRate) * 100).toFixed(0)}% (goal: at least 50%)`);
  console.log(`  peak RSS during the dump: ${mb(peakRss)} (${mb((peakRss / ACCOUNTS) * 100_000)} per 100,000 documents, whole process incl. client)`);
  // Memory: as stored (BSON only), then after a filtered query made every document an object.
  const asStored = heldNow();
  t = performance.now();
  const matches = await client.db('cloudpets').collection('accounts').countDocuments({ email: { $regex: '^owner4242' } });
  const scanMs = performance.now() - t;
  const afterScan = heldNow();
  await client.close();
  db.store.dropCollection('cloudpets', 'accounts');
  const withoutData = heldNow();
  console.log(`  full-scan query (regex on email, ${matches} matches): ${Math.round(scanMs)} ms on first run`);
  console.log(`  memory held: ${mb(((asStored - withoutData) / ACCOUNTS) * 100_000)} per 100,000 documents as stored (BSON), ` +
    `${mb(((afterScan - withoutData) / ACCOUNTS) * 100_000)} once a query has deserialized them`);
  void coll;
  await db.close();
  if (seen !== ACCOUNTS) throw new Error(`dump returned ${seen} documents, expected ${ACCOUNTS}`);

  // Persistence: snapshot write for the full set, restart, and one durable write on top.
  const dir = mkdtempSync(join(tmpdir(), 'bench-db-'));
  try {
    let store = new Store(dir);
    t = performance.now();
    store.bulkLoad('cloudpets', 'accounts', Array.from({ length: ACCOUNTS }, (_, i) => account(i)));
    console.log(`  persistence: snapshot of ${ACCOUNTS.toLocaleString('en-US')} documents written in ${Math.round(performance.now() - t)} ms`);
    store.close();
    t = performance.now();
    store = new Store(dir);
    console.log(`  persistence: restart (load snapshot) in ${Math.round(performance.now() - t)} ms`);
    const accounts = store.collection('cloudpets', 'accounts')!;
    const target = accounts.getById(ObjectId.createFromTime(1_420_070_400 + 42))!;
    t = performance.now();
    const writes = 200;
    for (let i = 0; i < writes; i++) {
      store.replace(accounts, accounts.getById(target._id)!, { ...target, loginCount: i });
      store.commit();
    }
    console.log(`  persistence: one durable update (append + fdatasync) ${((performance.now() - t) / writes).toFixed(2)} ms on average`);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
