/**
 * The database checks against a real mongod, started with the settings of the same
 * mongod.conf files the lock-database lab uses (authorization -> --auth; the bind addresses
 * decide which vantage points reach it). Where's the real mongod gives a different verdict
 * than ours, ours is wrong. Skips with a one-line reason where no real mongod can start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startRealMongod, type RealMongod } from '../support/real-mongod.ts';
import { loadMongodConfig } from '../../sandboxes/database/index.ts';
import { labSourceDir } from '../../sandboxes/lab-folder/assemble.ts';
import { copyStartingFiles } from '../../sandboxes/lab-folder/starting-files.ts';
import { createCheckContext } from '../../sandboxes/checks/context.ts';
import { emptyNetworkMap, networkMapPath, writeNetworkMap } from '../../sandboxes/world/network/network-map.ts';
import * as db from '../../sandboxes/checks/library/database-checks.ts';
import type { Check } from '../../sandboxes/checks/types.ts';

const CHECKS: Check[] = [
  db.anonymousListFromInternet('x'),
  db.anonymousFindFromInternet('x'),
  db.anonymousDeniedOnHost('x'),
  db.notOnAllInterfaces('x'),
  db.appUserReads('x'),
  db.appUserLeastPrivilege('x'),
  db.nothingLost('x'),
];

/** The lab's starting mongod.conf, as a lab folder assembles it (starting files are not committed per lab). */
function startingConfigPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'real-mongod-starting-'));
  copyStartingFiles('lock-database', dir);
  return join(dir, 'mongod.conf');
}

async function verdicts(variant: 'starting' | 'solution'): Promise<Record<string, boolean> | { skipReason: string }> {
  const config = loadMongodConfig(variant === 'solution' ? join(labSourceDir('lock-database'), 'solution', 'mongod.conf') : startingConfigPath());
  const authorization = config.security.authorization === 'enabled';
  const mongod = await startRealMongod(authorization ? ['--auth'] : []);
  if ('skipReason' in mongod) return mongod;
  const dir = mkdtempSync(join(tmpdir(), 'real-mongod-'));
  try {
    return await judge(mongod, dir, variant, config.net.bindIp.some((ip) => ip === '0.0.0.0') || config.net.bindIpAll, authorization);
  } finally {
    await mongod.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function judge(mongod: RealMongod, dir: string, variant: string, publicInterface: boolean, authorization: boolean): Promise<Record<string, boolean>> {
  const real = new URL(mongod.uri);
  const endpoint = { host: real.hostname, port: Number(real.port) };
  const map = emptyNetworkMap();
  map.appLocal['27017'] = endpoint;
  if (publicInterface) map.hosts['db.cloudpets.test'] = { address: '203.0.113.10', ports: { '27017': endpoint } };
  writeNetworkMap(networkMapPath(dir), map);
  // The seeded data, and the users the lab asks for (the localhost exception creates the first).
  const admin = new MongoClient(mongod.uri, { directConnection: true });
  await admin.connect();
  await admin.db('admin').command({ createUser: 'admin', pwd: 'admin-Long-Passphrase-2017', roles: ['root'] });
  await admin.close();
  const root = new MongoClient(mongod.uri, { directConnection: true, auth: { username: 'admin', password: 'admin-Long-Passphrase-2017' }, authSource: 'admin' });
  await root.connect();
  await root.db('cloudpets').collection('users').insertMany([{ email: 'a@example.com' }, { email: 'b@example.com' }]);
  await root.db('admin').command({ createUser: 'cloudpets-app', pwd: 'app-Pa55phrase-2017', roles: [{ role: 'readWrite', db: 'cloudpets' }] });
  if (!authorization) await root.db('admin').command({ dropUser: 'admin' });
  await root.close();
  mkdirSync(join(dir, '.lab'), { recursive: true });
  writeFileSync(join(dir, '.lab', 'seeded.json'), JSON.stringify({ dataset: { seed: 2016, users: 2 }, counts: { users: 2 } }));
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'api', '.env'), `MONGODB_URI=${variant === 'solution' ? 'mongodb://cloudpets-app:app-Pa55phrase-2017@localhost:27017/cloudpets?authSource=admin' : 'mongodb://localhost:27017/cloudpets'}\n`);
  const ctx = createCheckContext('lock-database', dir);
  const out: Record<string, boolean> = {};
  try {
    for (const check of CHECKS) out[check.id] = (await check.run(ctx)).pass;
  } finally {
    await ctx.close();
  }
  return out;
}

describe('lock-database checks against a real mongod', () => {
  let starting: Awaited<ReturnType<typeof verdicts>>;
  let solution: Awaited<ReturnType<typeof verdicts>>;
  beforeAll(async () => {
    starting = await verdicts('starting');
    solution = 'skipReason' in starting ? starting : await verdicts('solution');
  });
  afterAll(() => undefined);

  it('the starting mongod.conf fails the replay; the solution mongod.conf passes it', (context) => {
    for (const verdict of [starting, solution]) {
      if ('skipReason' in verdict) {
        console.warn(`skipped: ${verdict.skipReason}`);
        return context.skip(String(verdict.skipReason));
      }
    }
    expect(starting).toMatchObject({ 'internet-cannot-list': false, 'internet-cannot-read-accounts': false, 'authorization-enforced': false, 'localhost-only': false });
    expect(Object.values(solution).every(Boolean), JSON.stringify(solution)).toBe(true);
  });
});
