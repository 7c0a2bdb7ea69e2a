/**
 * Database benchmark: the full CloudPets size (821,396 accounts) dumped through the official
 * driver (find + getMore), next to plain BSON serialize+deserialize of the same documents in
 * the same run. Also: memory per 100,000 documents held, and what persistence costs
 * (snapshot write, restart, one durable write).
 *
 * Server and driver share one thread by default (every cost lands on the same clock);
 * BENCH_DB_WORKER=1 puts the database in a worker thread instead, as in the lab where it is
 * its own process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { deserialize, ObjectId, serialize, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { startDatabase, type RunningDatabase } from '../sandboxes/database/index.ts';
import { Store } from '../sandboxes/database/storage/store.ts';
import { isMainModule } from '../sandboxes/command-line/main-module.ts';
import { readCommandLine, type ProgramSpec } from '../sandboxes/command-line/read-command-line.ts';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 821_396);
const HASH_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A full GC between measurements, so "memory held" is what stays reachable. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heldNow(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

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

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')} docs/s`;
}

/** The database side: seed through the storage layer, serve, measure its own memory. */
interface ServerSide {
  uri: string;
  seedMs: number;
  /** Bytes held now (after a full GC); "drop" drops the collection first. */
  held(drop?: boolean): Promise<number>;
  close(): Promise<void>;
}

async function startServerSide(): Promise<{ db: RunningDatabase; seedMs: number }> {
  const db = await startDatabase({ portOverride: 0 });
  const t = performance.now();
  db.store.bulkLoad('cloudpets', 'accounts', (function* () {
    for (let i = 0; i < ACCOUNTS; i++) yield account(i);
  })());
  return { db, seedMs: performance.now() - t };
}

function serverInWorker(): Promise<ServerSide> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: 'bench-db', accounts: ACCOUNTS } });
  const replies: ((value: unknown) => void)[] = [];
  worker.on('message', (message) => replies.shift()?.(message));
  const ask = <T>(command: string) =>
    new Promise<T>((resolve) => {
      replies.push(resolve as (value: unknown) => void);
      worker.postMessage(command);
    });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    replies.push((ready) => {
      const { uri, seedMs } = ready as { uri: string; seedMs: number };
      resolve({
        uri,
        seedMs,
        held: (drop) => ask(drop ? 'drop' : 'held'),
        close: async () => {
          await ask('close');
          await worker.terminate();
        },
      });
    });
  });
}

async function serverInProcess(): Promise<ServerSide> {
  const { db, seedMs } = await startServerSide();
  return {
    uri: db.uri,
    seedMs,
    held: async (drop) => {
      if (drop) db.store.dropCollection('cloudpets', 'accounts');
      return heldNow();
    },
    close: () => db.close(),
  };
}

if (!isMainThread && workerData?.role === 'bench-db') {
  const { db, seedMs } = await startServerSide();
  parentPort!.postMessage({ uri: db.uri, seedMs });
  parentPort!.on('message', async (command: string) => {
    if (command === 'drop') db.store.dropCollection('cloudpets', 'accounts');
    if (command === 'held' || command === 'drop') parentPort!.postMessage(heldNow());
    if (command === 'close') {
      await db.close();
      parentPort!.postMessage('closed');
    }
  });
}

export async function run(): Promise<void> {
  const inProcess = process.env.BENCH_DB_WORKER !== '1';
  console.log(`database benchmark: ${ACCOUNTS.toLocaleString('en-US')} account documents, server ${inProcess ? 'in the same thread' : 'in a worker thread'}`);

  // Baseline: plain BSON serialize + deserialize of the same documents.
  let docs: Document[] = Array.from({ length: ACCOUNTS }, (_, i) => account(i));
  let t = performance.now();
  let bytes = 0;
  for (const doc of docs) {
    const raw = serialize(doc);
    bytes += raw.length;
    deserialize(raw);
  }
  const baselineMs = performance.now() - t;
  docs = [];
  console.log(`  baseline BSON serialize+deserialize: ${rate(ACCOUNTS, baselineMs)} (${mb(bytes)} of BSON, ${Math.round(baselineMs)} ms)`);

  const server = inProcess ? await serverInProcess() : await serverInWorker();
  console.log(`  seeded ${ACCOUNTS.toLocaleString('en-US')} documents through the storage layer in ${Math.round(server.seedMs)} ms`);

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const client = new MongoClient(server.uri, { monitorCommands: true });
  let getMores = 0;
  client.on('commandStarted', (e) => e.commandName === 'getMore' && getMores++);
  await client.connect();
  const accounts = client.db('cloudpets').collection('accounts');
  // 1. As an application iterates: one awaited document at a time.
  t = performance.now();
  let seen = 0;
  for await (const doc of accounts.find({})) if (doc.email) seen++;
  const dumpMs = performance.now() - t;
  const firstGetMores = getMores;
  // 2. As a dump tool drains: each batch taken whole once it has arrived.
  t = performance.now();
  let drained = 0;
  const cursor = accounts.find({});
  while (await cursor.hasNext()) for (const doc of cursor.readBufferedDocuments()) if (doc.email) drained++;
  const drainMs = performance.now() - t;
  clearInterval(sampler);
  const baseRate = ACCOUNTS / baselineMs;
  const pct = (ms: number) => `${((ACCOUNTS / ms / baseRate) * 100).toFixed(0)}% of baseline`;
  console.log(`  driver dump, for await (find + ${firstGetMores} getMore): ${rate(seen, dumpMs)} (${Math.round(dumpMs)} ms), ${pct(dumpMs)}`);
  console.log(`  driver dump, batch drain (hasNext + readBufferedDocuments): ${rate(drained, drainMs)} (${Math.round(drainMs)} ms), ${pct(drainMs)}`);
  console.log('  goal: at least 50% of baseline');
  console.log(`  peak RSS of the client process during the dumps: ${mb(peakRss)}`);
  if (seen !== ACCOUNTS || drained !== ACCOUNTS) throw new Error(`dump returned ${seen}/${drained} documents, expected ${ACCOUNTS}`);

  const asStored = await server.held();
  t = performance.now();
  const matches = await accounts.countDocuments({ email: { $regex: '^owner4242' } });
  console.log(`  first full-scan query (regex on email, ${matches} matches): ${Math.round(performance.now() - t)} ms`);
  await client.close();
  const afterQuery = await server.held();
  const withoutData = await server.held(true);
  const per100k = (bytes: number) => mb(((bytes - withoutData) / ACCOUNTS) * 100_000);
  console.log(`  memory held by the server per 100,000 documents: ${per100k(asStored)} as stored (BSON only), ${per100k(afterQuery)} once a query has deserialized them`);
  await server.close();

  // Persistence: snapshot write for the full set, restart, and one durable write on top.
  const dir = mkdtempSync(join(tmpdir(), 'bench-db-'));
  try {
    let store = new Store(dir);
    t = performance.now();
    store.bulkLoad('cloudpets', 'accounts', (function* () {
      for (let i = 0; i < ACCOUNTS; i++) yield account(i);
    })());
    console.log(`  persistence: seed + snapshot of ${ACCOUNTS.toLocaleString('en-US')} documents in ${Math.round(performance.now() - t)} ms`);
    store.close();
    t = performance.now();
    store = new Store(dir);
    console.log(`  persistence: restart (load snapshot) in ${Math.round(performance.now() - t)} ms`);
    const stored = store.collection('cloudpets', 'accounts')!;
    const target = stored.getById(ObjectId.createFromTime(1_420_070_400 + 42))!;
    t = performance.now();
    const writes = 200;
    for (let i = 0; i < writes; i++) {
      store.replace(stored, stored.getById(target._id)!, { ...target, loginCount: i });
      store.commit();
    }
    console.log(`  persistence: one durable update (append + fdatasync) ${((performance.now() - t) / writes).toFixed(2)} ms on average`);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BENCH_DATABASE: ProgramSpec = {
  name: 'bench-database',
  helpCommand: 'npx tsx bench/database.ts --help',
  usage: `usage: npx tsx bench/database.ts   (or npm run bench -- database)

Prints the database's figures: a full-size dump through the official driver beside plain BSON,
memory per 100,000 documents, and what persistence costs. BENCH_ACCOUNTS sets the number of
accounts (default 821396); BENCH_DB_WORKER=1 puts the server in a worker thread.

  -h, --help    show this help`,
};

if (isMainThread && isMainModule(import.meta.url)) {
  const read = readCommandLine(BENCH_DATABASE, process.argv.slice(2), () => undefined);
  if (read.ok) await run();
  else process.exitCode = read.exitCode;
}
