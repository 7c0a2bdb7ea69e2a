/**
 * Throws 10,000 random and mutated wire messages at a running server while a well-behaved
 * driver client keeps working. The generator is seeded (FUZZ_SEED to replay a failure).
 */
import { Binary, Long } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange, opMsg, withHeader } from './support/wire-client.ts';
import { startLabDatabase, type LabDatabase } from './support/harness.ts';
import { serialize } from 'bson';

const MESSAGES = 10_000;
const CONCURRENCY = 8;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seeds(): Buffer[] {
  const legacyHello = Buffer.concat([Buffer.alloc(4), Buffer.from('admin.$cmd\0'), Buffer.alloc(4), Buffer.from([1, 0, 0, 0]), Buffer.from(serialize({ isMaster: 1, client: { driver: { name: 'fuzz' } } }))]);
  return [
    opMsg({ ping: 1, $db: 'admin' }),
    opMsg({ hello: 1, helloOk: true, saslSupportedMechs: 'admin.root', $db: 'admin' }),
    opMsg({ find: 'pets', filter: { name: { $regex: '^B' }, age: { $gt: 2 } }, sort: { age: -1 }, projection: { name: 1 }, limit: 5, $db: 'fuzz' }),
    opMsg({ insert: 'pets', $db: 'fuzz' }, { sequences: { documents: [{ name: 'Bella', age: 3 }, { name: 'Max', tags: ['a', 'b'] }] } }),
    opMsg({ update: 'pets', updates: [{ q: { name: 'Max' }, u: { $set: { age: 4 }, $push: { tags: 'c' } }, upsert: true }], $db: 'fuzz' }),
    opMsg({ delete: 'pets', deletes: [{ q: { age: { $lt: 0 } }, limit: 1 }], $db: 'fuzz' }),
    opMsg({ aggregate: 'pets', pipeline: [{ $match: {} }, { $group: { _id: '$name', n: { $sum: 1 } } }, { $sort: { n: -1 } }], cursor: {}, $db: 'fuzz' }),
    opMsg({ getMore: Long.fromNumber(123456), collection: 'pets', $db: 'fuzz' }),
    opMsg({ saslStart: 1, mechanism: 'SCRAM-SHA-256', payload: new Binary(Buffer.from('n,,n=root,r=abc')), $db: 'admin' }),
    opMsg({ createIndexes: 'pets', indexes: [{ key: { name: 1 }, name: 'name_1' }], $db: 'fuzz' }),
    opMsg({ findAndModify: 'pets', query: { name: 'Bella' }, update: { $inc: { age: 1 } }, new: true, $db: 'fuzz' }),
    opMsg({ listCollections: 1, nameOnly: true, $db: 'fuzz' }),
    withHeader(legacyHello, 2004),
  ];
}

function mutate(random: () => number, all: Buffer[]): Buffer {
  const int = (n: number) => Math.floor(random() * n);
  const pick = all[int(all.length)]!;
  const kind = int(9);
  if (kind === 0) {
    // Pure noise.
    const noise = Buffer.alloc(int(200));
    for (let i = 0; i < noise.length; i++) noise[i] = int(256);
    return noise;
  }
  let msg = Buffer.from(pick);
  if (kind === 1) msg = msg.subarray(0, int(msg.length)); // truncated
  if (kind === 2) for (let i = 0; i < 1 + int(6); i++) msg[int(msg.length)] = int(256); // byte flips
  if (kind === 3) msg.writeInt32LE(int(2 ** 31) * (random() < 0.5 ? -1 : 1), 0); // lying length
  if (kind === 4) msg.writeInt32LE([1, 2001, 2002, 2004, 2005, 2012, 2013, int(99999)][int(8)]!, 12); // opcode
  if (kind === 5 && msg.length > 24) msg.writeInt32LE(int(2 ** 31) - int(2 ** 30), 16 + int(msg.length - 20)); // random int32
  if (kind === 6) msg = Buffer.concat([msg, all[int(all.length)]!]); // two messages back to back
  if (kind >= 7) {
    // Flip bytes inside the body but keep the header length honest, so parsing goes deep.
    for (let i = 0; i < 1 + int(4); i++) msg[16 + int(msg.length - 16)] = int(256);
  }
  if (kind !== 3 && kind !== 1 && kind !== 0 && kind !== 6 && random() < 0.8) msg.writeInt32LE(msg.length, 0);
  return msg;
}

describe('fuzzing the wire protocol', () => {
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

  it(`survives ${MESSAGES} random and mutated messages while a driver client keeps working`, { timeout: 600_000 }, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    const random = prng(seed);
    const port = lab.db.listeners[0]!.port;
    const base = seeds();
    let protocolErrorLines = 0;
    const unsubscribe = lab.db.log.onLine((entry) => {
      if (entry.id === 22988) protocolErrorLines++;
    });
    let sent = 0;
    let answered = 0;
    const worker = async () => {
      while (sent < MESSAGES) {
        sent++;
        const result = await exchange(port, mutate(random, base), 3000, true);
        if (result.received.length > 0) answered++;
      }
    };
    const healthy = client.db('healthy').collection('heartbeat');
    let beats = 0;
    let stop = false;
    const heartbeat = (async () => {
      while (!stop) {
        await healthy.insertOne({ beat: beats });
        beats++;
        expect(await healthy.countDocuments()).toBe(beats);
        expect(await healthy.findOne({ beat: beats - 1 }, { projection: { _id: 0 } })).toEqual({ beat: beats - 1 });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    } finally {
      stop = true;
      await heartbeat;
    }
    console.log(`fuzz seed ${seed}: ${sent} messages, ${answered} answered, ${protocolErrorLines} closed for protocol errors; ${beats} heartbeats ok`);
    expect(sent).toBeGreaterThanOrEqual(MESSAGES);
    expect(beats).toBeGreaterThan(10);
    expect(answered).toBeGreaterThan(100);
    unsubscribe();
    expect(protocolErrorLines).toBeGreaterThan(100);
    // Still a working server afterwards, for a fresh client too.
    const fresh = new MongoClient(lab.db.uri, { serverSelectionTimeoutMS: 5000 });
    expect(await fresh.db('healthy').collection('heartbeat').countDocuments()).toBe(beats);
    await fresh.close();
  });
});
