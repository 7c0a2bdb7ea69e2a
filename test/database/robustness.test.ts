/**
 * Malformed, truncated, oversized and garbage messages close only the connection that sent
 * them, with a log line; the server keeps serving everybody else.
 */
import { deserialize, serialize as serializeDoc } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange, opMsg, withHeader } from './support/wire-client.ts';
import { startLabDatabase, type LabDatabase } from './support/harness.ts';

describe('malformed messages', () => {
  let lab: LabDatabase;
  let client: MongoClient;
  let port: number;

  beforeAll(async () => {
    lab = await startLabDatabase();
    port = lab.db.listeners[0]!.port;
    client = new MongoClient(lab.db.uri, { serverSelectionTimeoutMS: 5000 });
    await client.db('healthy').collection('c').insertOne({ ok: true });
  });
  afterAll(async () => {
    await client?.close();
    await lab?.stop();
  });

  const protocolErrors = () => lab.logLines().filter((l) => l.id === 22988);

  it('answers a well-formed raw OP_MSG (the baseline for the cases below)', async () => {
    const result = await exchange(port, opMsg({ ping: 1, $db: 'admin' }));
    expect(result.closedByServer).toBe(false);
    expect(result.received.readInt32LE(12)).toBe(2013);
    expect(deserialize(result.received.subarray(21))).toEqual({ ok: 1 });
  });

  const cases: [string, () => Buffer, string][] = [
    ['garbage bytes', () => Buffer.from('GET / HTTP/1.1\r\nHost: db.cloudpets.test\r\n\r\n'), 'outside the allowed range'],
    ['a header announcing more than 48 MB', () => {
      const header = Buffer.alloc(16);
      header.writeInt32LE(49 * 1024 * 1024, 0);
      header.writeInt32LE(2013, 12);
      return header;
    }, 'outside the allowed range'],
    ['a header announcing less than 16 bytes', () => Buffer.from([8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xdd, 7, 0, 0]), 'outside the allowed range'],
    ['a BSON length that overruns the message', () => {
      const msg = opMsg({ ping: 1, $db: 'admin' });
      msg.writeInt32LE(9999, 21);
      return msg;
    }, 'does not fit'],
    ['invalid BSON inside', () => {
      const msg = opMsg({ ping: 'xxxx', $db: 'admin' });
      msg[25] = 0x7f; // element type byte
      return msg;
    }, 'invalid BSON'],
    ['an unknown section kind', () => {
      const msg = opMsg({ ping: 1, $db: 'admin' });
      msg[20] = 9;
      return msg;
    }, 'section kind 9'],
    ['unknown required flag bits', () => opMsg({ ping: 1, $db: 'admin' }, { flags: 1 << 4 }), 'unknown required flag bits'],
    ['a removed legacy opcode (OP_INSERT)', () => withHeader(Buffer.from('\0\0\0\0fuzz.c\0'), 2002), 'unsupported opCode 2002'],
  ];

  for (const [name, build, reason] of cases) {
    it(`closes the connection on ${name}, logs it, and keeps serving others`, async () => {
      const before = protocolErrors().length;
      const result = await exchange(port, build(), 2000);
      expect(result.closedByServer).toBe(true);
      expect(result.received.length).toBe(0);
      const logged = protocolErrors().slice(before);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ c: 'NETWORK', msg: 'Error receiving request from client. Ending connection from remote' });
      expect(JSON.stringify(logged[0]!.attr)).toContain(reason);
      expect(await client.db('healthy').collection('c').countDocuments()).toBe(1);
    });
  }

  it('answers an OP_MSG without $db with mongod\'s error (40571) and keeps the connection', async () => {
    const result = await exchange(port, opMsg({ ping: 1 }), 300);
    expect(result.closedByServer).toBe(false);
    expect(deserialize(result.received.subarray(21))).toEqual({ ok: 0, errmsg: 'OP_MSG requests require a $db argument', code: 40571, codeName: 'Location40571' });
  });

  it('answers a find whose filter is nested 200,000 levels deep without dropping anyone', async () => {
    const levels = 200_000;
    const nested = Buffer.alloc(5 + levels * 8);
    for (let i = 0; i < levels; i++) {
      nested.writeInt32LE(nested.length - i * 8, i * 7);
      nested[i * 7 + 4] = 3;
      nested[i * 7 + 5] = 0x61;
    }
    nested.writeInt32LE(5, levels * 7);
    // {find: 'c', $db: 'healthy', filter: {a: {a: ...}}}, assembled by hand.
    const head = Buffer.from(serializeDoc({ find: 'c', $db: 'healthy' }));
    const element = Buffer.concat([Buffer.from('\x03filter\0', 'latin1'), nested]);
    const body = Buffer.concat([head.subarray(0, head.length - 1), element, Buffer.from([0])]);
    body.writeInt32LE(body.length, 0);
    const result = await exchange(port, withHeader(Buffer.concat([Buffer.alloc(5), body]), 2013), 5000);
    expect(result.closedByServer).toBe(false);
    const reply = deserialize(result.received.subarray(21));
    expect(typeof reply.ok).toBe('number');
    expect(await client.db('healthy').collection('c').countDocuments()).toBe(1);
  });

  it('survives a message cut off mid-way by a client that disconnects', async () => {
    const msg = opMsg({ find: 'c', $db: 'healthy' });
    const result = await exchange(port, msg.subarray(0, msg.length - 7), 300, true);
    expect(result.received.length).toBe(0);
    expect(await client.db('healthy').collection('c').countDocuments()).toBe(1);
  });

  it('answers a command that fails inside (deep filter) with an error reply, not a crash', async () => {
    let filter: Record<string, unknown> = { x: 1 };
    for (let i = 0; i < 90; i++) filter = { $and: [filter] };
    const result = await client.db('healthy').collection('c').find(filter).toArray().catch((e) => e);
    expect(Array.isArray(result) || typeof result.code === 'number').toBe(true);
    expect(await client.db('healthy').collection('c').countDocuments()).toBe(1);
  });

  it('handles moreToCome: no reply is sent, the command still runs', async () => {
    const result = await exchange(port, opMsg({ insert: 'c', documents: [{ quiet: true }], $db: 'healthy', writeConcern: { w: 0 } }, { flags: 2 }), 300);
    expect(result.received.length).toBe(0);
    expect(await client.db('healthy').collection('c').countDocuments({ quiet: true })).toBe(1);
    await client.db('healthy').collection('c').deleteMany({ quiet: true });
  });

  it('accepts documents in a kind-1 section and answers a legacy OP_QUERY handshake with OP_REPLY', async () => {
    const seq = await exchange(port, opMsg({ insert: 'seq', $db: 'healthy' }, { sequences: { documents: [{ a: 1 }, { a: 2 }] } }));
    expect(deserialize(seq.received.subarray(21))).toMatchObject({ n: 2, ok: 1 });
    const query = Buffer.concat([Buffer.alloc(4), Buffer.from('admin.$cmd\0'), Buffer.alloc(4), Buffer.from([1, 0, 0, 0]), Buffer.from(serializeDoc({ isMaster: 1 }))]);
    const reply = await exchange(port, withHeader(query, 2004, 77));
    expect(reply.received.readInt32LE(8)).toBe(77);
    expect(reply.received.readInt32LE(12)).toBe(1);
    expect(deserialize(reply.received.subarray(36))).toMatchObject({ ismaster: true, maxWireVersion: 21, ok: 1 });
  });
});
