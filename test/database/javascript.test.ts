/**
 * security.javascriptEnabled and $where: on by default (as in mongod), refused with mongod's
 * error when off; runaway code is stopped, per document and per command, instead of freezing
 * the server. The code runs in QuickJS (WebAssembly), never in the server's own JavaScript.
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

  it('runs statements as a function body, as mongod does', async () => {
    const users = client.db('shop').collection('users');
    expect(await users.countDocuments({ $where: 'var e = this.email; return e.startsWith("b");' })).toBe(1);
  });

  it('stops a runaway loop on one document with mongod\'s invocation error and keeps serving', async () => {
    const users = client.db('shop').collection('users');
    for (const code of ['while (true) {}', 'function () { for (;;) {} }']) {
      const error = await users.find({ $where: code }).toArray().catch((e) => e);
      expect(error).toBeInstanceOf(MongoServerError);
      expect(error.code).toBe(5038802);
      expect(error.message).toContain('error on invocation of $where function');
    }
    expect(await users.countDocuments()).toBe(2);
  });

  it('stops a command whose documents together exceed the per-command budget', async () => {
    const slow = client.db('shop').collection('slow');
    await slow.insertMany(Array.from({ length: 60 }, (_, i) => ({ i })));
    // Each call stays under the per-document limit; sixty of them do not fit one command.
    const error = await slow.find({ $where: 'var end = Date.now() + 50; while (Date.now() < end) {} return true;' }).toArray().catch((e) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error.code).toBe(50);
    expect(error.codeName).toBe('MaxTimeMSExpired');
    expect(await slow.countDocuments()).toBe(60);
  });

  it('reports a syntax error as mongod\'s compile error', async () => {
    const error = await client.db('shop').collection('users').findOne({ $where: 'function ( {' }).catch((e) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error.code).toBe(6108306);
  });

  it('refuses $where with mongod\'s error when javascriptEnabled is false', async () => {
    const text = readFileSync(lab.configPath, 'utf8').replace('security:\n', 'security:\n  javascriptEnabled: false\n');
    const db = await lab.restart(text);
    const c = new MongoClient(db.uri);
    const error = await c.db('shop').collection('users').findOne({ $where: 'true' }).catch((e) => e);
    await c.close();
    expect(error).toBeInstanceOf(MongoServerError);
    // mongod 7.0: uassert(6108304, "no globalScriptEngine in $where parsing") in
    // src/mongo/db/exec/js_function.cpp of the mongodb/mongo repository (before 5.x it was
    // 2 BadValue with the same words).
    expect(error.code).toBe(6108304);
    expect(error.codeName).toBe('Location6108304');
    expect(error.message).toBe('no globalScriptEngine in $where parsing');
  });
});
