/**
 * security.javascriptEnabled and $where: on by default (as in mongod), refused with mongod's
 * error when off; runaway code is stopped instead of freezing the server.
 */
import { readFileSync } from 'node:fs';
import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabDatabase, type LabDatabase } from './support/harness.ts';

describe('$where and security.javascriptEnabled', () => {
  let lab: LabDatabase;
  let client: MongoClient;
  beforeAll(async () => {
    lab = await startLabDatabase();
    client = new MongoClient(lab.db.uri);
    await client.db('shop').collection('users').insertMany([
      { email: 'a@example.com', pwd: 'x' },
      { email: 'b@example.com', pwd: 'y' },
    ]);
  });
  afterAll(async () => {
    await client?.close();
    await lab?.stop();
  });

  it('runs $where when enabled, including the injection that matches everything', async () => {
    const users = client.db('shop').collection('users');
    expect(await users.countDocuments({ $where: "this.email == 'a@example.com'" })).toBe(1);
    expect(await users.countDocuments({ $where: "this.email == '' || '1'=='1'" })).toBe(2);
    expect(await users.countDocuments({ $or: [{ $where: 'function() { return this.pwd === "y"; }' }] })).toBe(1);
  });

  it('stops runaway code with an error and keeps serving', async () => {
    const error = await client.db('shop').collection('users').find({ $where: 'while (true) {}' }).toArray().catch((e) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(await client.db('shop').collection('users').countDocuments()).toBe(2);
  });

  it('refuses $where with mongod\'s error when javascriptEnabled is false', async () => {
    const text = readFileSync(lab.configPath, 'utf8').replace('security:\n', 'security:\n  javascriptEnabled: false\n');
    const db = await lab.restart(text);
    const c = new MongoClient(db.uri);
    const error = await c.db('shop').collection('users').findOne({ $where: 'true' }).catch((e) => e);
    await c.close();
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error.code).toBe(2);
    expect(error.message).toBe('no globalScriptEngine in $where parsing');
  });
});
