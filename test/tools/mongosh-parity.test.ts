/**
 * The same scripts through MongoDB's real mongosh (node_modules/.bin/mongosh, connected to the
 * lab database's loopback address) and through ours (connected by its lab name): the documents
 * must match, and so must the printed text, since lessons show our output as mongosh's.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Binary, Decimal128, Long, ObjectId, UUID } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoshMain } from '../../sandboxes/tools/mongosh/mongosh.ts';
import { startLabDatabase, type LabDatabase } from './support/lab-database.ts';
import { tempLab, type TempLab } from './support/tool-harness.ts';

const realMongosh = fileURLToPath(new URL('../../node_modules/.bin/mongosh', import.meta.url));

let database: LabDatabase;
let lab: TempLab;

function runReal(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      realMongosh,
      ['--quiet', '--norc', `mongodb://127.0.0.1:${database.port}/cloudpets?directConnection=true`, ...args],
      { timeout: 60_000, env: { ...process.env, MONGOSH_NO_TELEMETRY: '1', DO_NOT_TRACK: '1', HOME: lab.dir } },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

async function runOurs(args: string[], stdin?: string) {
  return lab.run(mongoshMain, ['--quiet', 'mongodb://db.cloudpets.test:27017/cloudpets', ...args], stdin);
}

beforeAll(async () => {
  database = await startLabDatabase();
  lab = tempLab();
  lab.writeMap(database.mapEntry());
  const db = database.client.db('cloudpets');
  await db.collection('users').insertMany(
    Array.from({ length: 23 }, (_, i) => ({
      _id: new ObjectId(`5a00000000000000000000${String(i).padStart(2, '0')}`),
      email: `parent${i}@example.com`,
      name: i % 2 ? "O'Brien Example" : 'Sam "Sunny" Example',
      created: new Date(Date.UTC(2016, 0, 1 + i, 8, 30)),
      password: `$2b$10$${'a'.repeat(22)}${'b'.repeat(31)}`,
      children: i % 3 === 0 ? [] : [{ name: `Kid ${i}`, birthday: new Date(Date.UTC(2012, i % 12, 3)) }],
      tags: Array.from({ length: i % 9 }, (_, j) => `t${j}`),
      deep: { a: { b: { c: { d: { e: { f: { g: 'too deep' } } } } } } },
      score: i / 4,
    })),
  );
  await db.collection<{ _id: number } & Record<string, unknown>>('types').insertOne({
    _id: 1,
    uuid: new UUID('0f8fad5b-d9cb-469f-a165-70867728950e'),
    bin: new Binary(Buffer.from('teddy')),
    dec: Decimal128.fromString('12.50'),
    big: Long.fromString('9007199254740993'),
    nothing: null,
    yes: true,
    regexp: /bear/i,
  });
}, 120_000);
afterAll(async () => {
  await database?.close();
  lab?.cleanup();
});

describe.skipIf(!existsSync(realMongosh))('mongosh parity with MongoDB mongosh', () => {
  const evalCases = [
    'db.users.find().sort({_id: 1}).toArray()',
    'db.users.find({score: {$gte: 2}}, {email: 1, created: 1}).sort({created: -1}).skip(1).limit(3).toArray()',
    'db.users.findOne({email: "parent7@example.com"})',
    'db.users.countDocuments({ "children.0": { $exists: true } })',
    'db.users.aggregate([{ $group: { _id: { $size: "$children" }, n: { $sum: 1 } } }, { $sort: { _id: 1 } }]).toArray()',
    'db.types.findOne()',
    'db.getCollectionNames()',
  ];

  for (const script of evalCases) {
    it(`--json=relaxed: ${script}`, async () => {
      const [real, ours] = await Promise.all([runReal(['--json=relaxed', '--eval', script]), runOurs(['--json=relaxed', '--eval', script])]);
      expect(real.code, real.stderr).toBe(0);
      expect(ours.code, ours.stderr).toBe(0);
      expect(JSON.parse(ours.stdout)).toEqual(JSON.parse(real.stdout));
    });
  }

  it('prints the same text for documents (ObjectId, ISODate, quotes, nesting, BSON types)', async () => {
    for (const script of ['db.users.find({}, {deep: 0}).limit(4)', 'db.users.findOne({_id: ObjectId("5a0000000000000000000005")})', 'db.types.find()']) {
      const [real, ours] = await Promise.all([runReal(['--eval', script]), runOurs(['--eval', script])]);
      expect(real.code, real.stderr).toBe(0);
      expect(ours.stdout, script).toBe(real.stdout);
    }
  });

  it('runs the same interactive session with the same output', async () => {
    const session = [
      'show collections',
      'db.users.find({}, {email: 1})',
      'it',
      'it',
      'use other',
      'db.getSiblingDB("cloudpets").users.findOne({}, {_id: 0, email: 1})',
      'const n = db.getSiblingDB("cloudpets").users.countDocuments()',
      'n * 2',
      'db.scratch.insertOne({_id: "x", v: 1})',
      'db.scratch.updateOne({_id: "x"}, {$inc: {v: 1}})',
      'db.scratch.find()',
      'db.scratch.deleteOne({_id: "x"})',
      'db.scratch.drop()',
      'for (let i = 0; i < 3; i++) { db.loop.insertOne({_id: i}) }',
      'db.loop.drop()',
      'print("hello", 42, {a: 1})',
      'if (true) { "yes" } else { "no" }',
      'nosuch',
      '',
    ].join('\n');
    const real = await runReal([], session);
    // A fresh scratch state for our run: the real one already created and dropped it.
    const ours = await runOurs([], session);
    expect(ours.stdout).toBe(real.stdout);
  });
});
