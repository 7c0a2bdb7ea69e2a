/**
 * mongod's JSON log lines, and the lab network: connections carry the peer address their
 * listener stands for; logs, whatsmyuri and the localhost exception use it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseNetwork } from '../../sandboxes/database/index.ts';
import { startLabDatabase, type LabDatabase } from './support/harness.ts';

/** Two simulated interfaces as the world sets them up: the app's localhost and the public address. */
const simulatedNetwork: DatabaseNetwork = {
  interfaces: (bindIp, bindIpAll) => (bindIpAll || bindIp.includes('0.0.0.0') ? ['127.0.0.1', '203.0.113.10'] : ['127.0.0.1']),
  listen: (address) => ({ host: '127.0.0.1', port: 0, peerAddress: address === '127.0.0.1' ? '127.0.0.1' : '198.51.100.23' }),
};

async function closeAll(clients: MongoClient[]) {
  await Promise.all(clients.map((c) => c.close()));
}

describe('structured log', () => {
  let lab: LabDatabase;
  beforeAll(async () => {
    lab = await startLabDatabase({ auth: true });
  });
  afterAll(async () => lab?.stop());

  it('writes one JSON object per line with mongod\'s fields, to systemLog.path', async () => {
    const lines = readFileSync(join(lab.dir, 'mongod.log'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      const entry = JSON.parse(line);
      expect(Object.keys(entry).slice(0, 6)).toEqual(['t', 's', 'c', 'id', 'ctx', 'msg']);
      expect(entry.t.$date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    }
    expect(lines.map((l) => JSON.parse(l).msg)).toContain('Waiting for connections');
  });

  it('does not warn about access control when authorization is enabled', () => {
    expect(lab.logLines().some((l) => l.id === 22120)).toBe(false);
  });

  it('logs connections, authentication results and commands with their namespace', async () => {
    const anon = new MongoClient(lab.db.uri);
    await anon.db('admin').command({ createUser: 'root', pwd: 'hunter2', roles: ['root'] });
    await anon.close();
    const good = new MongoClient(lab.db.uri.replace('mongodb://', 'mongodb://root:hunter2@'), { appName: 'log-test' });
    await good.db('shop').collection('pets').insertOne({ name: 'Bella' });
    await good.db('shop').collection('pets').find({ name: 'Bella' }).toArray();
    const bad = new MongoClient(lab.db.uri.replace('mongodb://', 'mongodb://root:wrong@'));
    await bad.connect().catch(() => {});
    await closeAll([good, bad]);
    await new Promise((r) => setTimeout(r, 50));

    const lines = lab.logLines();
    const accepted = lines.filter((l) => l.msg === 'Connection accepted');
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted[0]).toMatchObject({ s: 'I', c: 'NETWORK', id: 22943 });
    expect((accepted[0]!.attr as { remote: string }).remote).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(lines.some((l) => l.id === 22944 && l.msg === 'Connection ended')).toBe(true);

    const succeeded = lines.find((l) => l.msg === 'Authentication succeeded');
    expect(succeeded).toMatchObject({ c: 'ACCESS', id: 5286306, attr: { mechanism: 'SCRAM-SHA-256', speculative: true, principalName: 'root', authenticationDatabase: 'admin' } });
    const failed = lines.find((l) => l.msg === 'Authentication failed');
    expect(failed).toMatchObject({ c: 'ACCESS', id: 20249, attr: { principalName: 'root', authenticationDatabase: 'admin' } });
    expect((failed!.attr as { remote: string; error: string }).error).toMatch(/^AuthenticationFailed/);

    const commands = lines.filter((l) => l.c === 'COMMAND' && l.id === 51803);
    const insert = commands.find((l) => (l.attr as { command: Record<string, unknown> }).command.insert === 'pets');
    expect(insert).toMatchObject({ attr: { type: 'command', ns: 'shop.pets', appName: 'log-test' } });
    const find = commands.find((l) => (l.attr as { command: Record<string, unknown> }).command.find === 'pets');
    expect(find).toMatchObject({ attr: { ns: 'shop.pets', nreturned: 1 } });
    expect((find!.attr as { remote: string }).remote).toMatch(/^127\.0\.0\.1:\d+$/);
    // Never a password or SCRAM payload in the log.
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });

  it('logs a refused command with its error', async () => {
    const anon = new MongoClient(lab.db.uri);
    await anon.db('shop').collection('pets').findOne({}).catch(() => {});
    await anon.close();
    const refused = lab.logLines().find((l) => (l.attr as { errName?: string })?.errName === 'Unauthorized');
    expect(refused).toMatchObject({ msg: 'Slow query', attr: { ns: 'shop.pets', errCode: 13 } });
  });

  it('logs an operation under slowOpThresholdMs at D1 (visible at verbosity 1)', async () => {
    const c = new MongoClient(lab.db.uri.replace('mongodb://', 'mongodb://root:hunter2@'));
    await c.db('shop').collection('pets').findOne({ _id: 'fast' as never });
    await c.close();
    const line = lab.logLines().find((l) => JSON.stringify(l.attr ?? {}).includes('"fast"'));
    expect(line).toMatchObject({ s: 'D1', c: 'COMMAND', id: 51803, msg: 'Slow query' });
  });
});

describe('slow operations', () => {
  it('logs operations at or over slowOpThresholdMs as "I" Slow query (threshold 0: all of them)', async () => {
    const lab = await startLabDatabase({ extraConfig: 'operationProfiling:\n  slowOpThresholdMs: 0\n' });
    try {
      const c = new MongoClient(lab.db.uri);
      await c.db('shop').collection('pets').insertOne({ name: 'Bella' });
      await c.db('shop').collection('pets').findOne({ name: 'Bella' });
      await c.close();
      const line = lab.logLines().find((l) => (l.attr as { command?: { find?: string } })?.command?.find === 'pets');
      expect(line).toMatchObject({ s: 'I', c: 'COMMAND', id: 51803, msg: 'Slow query', attr: { type: 'command', ns: 'shop.pets' } });
      expect(typeof (line!.attr as { durationMillis: unknown }).durationMillis).toBe('number');
    } finally {
      await lab.stop();
    }
  });
});

describe('the lab network', () => {
  let lab: LabDatabase;
  beforeAll(async () => {
    lab = await startLabDatabase({ auth: true, network: simulatedNetwork, extraConfig: '' });
  });
  afterAll(async () => lab?.stop());

  it('listens once per simulated interface from bindIp', async () => {
    expect(lab.db.listeners.map((l) => l.address)).toEqual(['127.0.0.1']);
    const text = readFileSync(lab.configPath, 'utf8').replace('bindIp: 127.0.0.1', 'bindIp: 0.0.0.0');
    const db = await lab.restart(text);
    expect(db.listeners.map((l) => l.address)).toEqual(['127.0.0.1', '203.0.113.10']);
    expect(new Set(db.listeners.map((l) => l.port)).size).toBe(2);
  });

  it('gives the peer address of the listener to the log, whatsmyuri and the localhost exception', async () => {
    const [local, pub] = lab.db.listeners;
    const internet = new MongoClient(`mongodb://${pub!.host}:${pub!.port}`, { directConnection: true });
    const me = await internet.db('admin').command({ whatsmyuri: 1 });
    expect(me.you).toMatch(/^198\.51\.100\.23:\d+$/);
    // From "the internet" there is no localhost exception.
    const refused = await internet.db('admin').command({ createUser: 'evil', pwd: 'x', roles: ['root'] }).catch((e) => e);
    expect(refused).toBeInstanceOf(MongoServerError);
    expect(refused.code).toBe(13);
    const accepted = lab.logLines().filter((l) => l.msg === 'Connection accepted').map((l) => (l.attr as { remote: string }).remote);
    expect(accepted.some((r) => r.startsWith('198.51.100.23:'))).toBe(true);
    // From the app's localhost, the first user may be created.
    const app = new MongoClient(`mongodb://${local!.host}:${local!.port}`, { directConnection: true });
    await app.db('admin').command({ createUser: 'root', pwd: 'hunter2', roles: ['root'] });
    expect((await app.db('admin').command({ whatsmyuri: 1 })).you).toMatch(/^127\.0\.0\.1:\d+$/);
    await closeAll([internet, app]);
  });
});
