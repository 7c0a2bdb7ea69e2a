import { Long, ObjectId } from 'mongodb';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoshMain } from '../../sandboxes/tools/mongosh/mongosh.ts';
import { startLabDatabase, type LabDatabase } from './support/lab-database.ts';
import { tempLab, type TempLab } from './support/tool-harness.ts';

let open: LabDatabase;
let secured: LabDatabase;
let lab: TempLab;
let authLab: TempLab;
const userId = new ObjectId('5a1b2c3d4e5f60718293a4b5');

beforeAll(async () => {
  open = await startLabDatabase();
  secured = await startLabDatabase({ auth: { user: 'admin', pwd: 'S3cure!pass' } });
  lab = tempLab();
  lab.writeMap(open.mapEntry());
  authLab = tempLab();
  authLab.writeMap(secured.mapEntry());
  const users = open.client.db('cloudpets').collection('users');
  await users.insertOne({
    _id: userId,
    email: 'parent1@example.com',
    created: new Date('2016-03-04T05:06:07.000Z'),
    logins: Long.fromString('9007199254740993'),
    profile: { name: 'Alex Example', pets: [{ name: 'Bear', kind: 'teddy' }] },
  });
  await open.client.db('cloudpets').collection<{ _id: number; n: number }>('pages').insertMany(Array.from({ length: 25 }, (_, i) => ({ _id: i, n: i })));
  await secured.client.db('cloudpets').collection('users').insertOne({ email: 'locked@example.com' });
});
afterAll(async () => {
  await open?.close();
  await secured?.close();
  lab?.cleanup();
  authLab?.cleanup();
});

const eval_ = (target: TempLab, ...argv: string[]) => target.run(mongoshMain, ['--quiet', ...argv]);

describe('mongosh: arguments and help', () => {
  it('prints --help with the exit codes, and --version', async () => {
    const help = await lab.run(mongoshMain, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--authenticationDatabase/);
    expect(help.stdout).toMatch(/Exit codes: 0 success/);
    expect((await lab.run(mongoshMain, ['--version'])).stdout).toBe('2.12.0\n');
  });

  it('rejects bad arguments with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--frob'], /unknown option '--frob'/],
      [['--eval'], /option '--eval' needs a value/],
      [['db.cloudpets.test', '--json=yaml', '--eval', '1'], /--json takes relaxed or canonical/],
      [['db.cloudpets.test', '--json'], /--json needs --eval/],
      [['db.cloudpets.test', '-p', 'secret'], /password was given without a user name/],
      [['db.cloudpets.test', '-u', 'admin'], /needs a password: add -p/],
      [['db.cloudpets.test', '-u'], /option '-u, --username' needs a value/],
      [['mongodb://db.cloudpets.test:99999/'], /invalid connection string|port must be 1-65535/],
      [['db.cloudpets.test', 'missing.js'], /file not found: missing\.js/],
      [['a', 'b'], /one connection string only/],
    ];
    for (const [argv, message] of cases) {
      const run = await lab.run(mongoshMain, argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('says when a host is closed, unknown, or down', async () => {
    const closed = tempLab();
    closed.writeMap({ 'db.cloudpets.test': { address: '203.0.113.10', ports: {} } });
    const refused = await eval_(closed, 'mongodb://db.cloudpets.test:27017/cloudpets', '--eval', 'show dbs');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('MongoNetworkError: cannot connect to db.cloudpets.test:27017: connection refused\n');

    const unknown = await eval_(closed, 'mongodb://nope.cloudpets.test:27017/', '--eval', '1');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/could not resolve host: nope\.cloudpets\.test/);

    const mine = await eval_(closed, 'localhost:27017', '--eval', '1');
    expect(mine.code).toBe(1);
    expect(mine.stderr).toMatch(/cannot connect to localhost:27017: connection refused/);

    closed.writeMap({ 'db.cloudpets.test': { address: '203.0.113.10', ports: { '27017': { host: '127.0.0.1', port: 1 } } } });
    const down = await eval_(closed, 'db.cloudpets.test', '--eval', '1');
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot connect to db\.cloudpets\.test:27017: (connection refused|timed out)/);
    closed.cleanup();
  }, 30_000);
});

describe('mongosh: against the lab database', () => {
  it('prints documents the way mongosh does', async () => {
    const run = await eval_(lab, 'mongodb://db.cloudpets.test:27017/cloudpets', '--eval', 'db.users.find()');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("_id: ObjectId('5a1b2c3d4e5f60718293a4b5')");
    expect(run.stdout).toContain("email: 'parent1@example.com'");
    expect(run.stdout).toContain("created: ISODate('2016-03-04T05:06:07.000Z')");
    expect(run.stdout).toMatch(/pets: \[ \{ name: 'Bear', kind: 'teddy' \} \]/);
    expect(run.stdout).not.toContain('new ObjectId');
  });

  it('awaits calls transparently: a property of findOne, variables across statements', async () => {
    const run = await eval_(lab, 'db.cloudpets.test/cloudpets', '--eval', 'const u = db.users.findOne({email: "parent1@example.com"}); u.profile.pets[0].name + " of " + u.email');
    expect(run.stdout).toBe('Bear of parent1@example.com\n');
  });

  it('runs show dbs, use, show collections', async () => {
    const run = await eval_(lab, 'db.cloudpets.test', '--eval', 'show dbs\nuse cloudpets\nshow collections');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^cloudpets\s+\d+(\.\d+)? (B|KiB|MiB)$/m);
    expect(run.stdout).toContain('switched to db cloudpets');
    expect(run.stdout).toMatch(/^pages\nusers$/m);
  });

  it('pages a cursor by 20 with it, in the REPL', async () => {
    const run = await lab.run(mongoshMain, ['--quiet', 'db.cloudpets.test/cloudpets'], 'db.pages.find({}, {n: 0})\nit\nit\n');
    expect(run.code).toBe(0);
    const pages = run.stdout.split('cloudpets> ');
    expect(pages[1]).toContain('{ _id: 19 }');
    expect(pages[1]).not.toContain('{ _id: 20 }');
    expect(pages[1]).toContain('Type "it" for more');
    expect(pages[2]).toContain('{ _id: 20 }');
    expect(pages[2]).toContain('{ _id: 24 }');
    expect(pages[2]).not.toContain('Type "it"');
    expect(pages[3]).toBe('no cursor\n');
  });

  it('applies cursor modifiers: sort, skip, limit, toArray, count', async () => {
    const run = await eval_(lab, 'db.cloudpets.test/cloudpets', '--json=relaxed', '--eval', '({ page: db.pages.find({}, {_id: 1}).sort({n: -1}).skip(2).limit(3).toArray(), total: db.pages.find({n: {$gte: 10}}).limit(2).count() })');
    expect(JSON.parse(run.stdout)).toEqual({ page: [{ _id: 22 }, { _id: 21 }, { _id: 20 }], total: 15 });
  });

  it('writes: insertOne, updateOne, deleteOne, drop, aggregate', async () => {
    const script = [
      'use scratch',
      'db.notes.insertOne({_id: 1, text: "hi"})',
      'db.notes.updateOne({_id: 1}, {$set: {text: "bye"}})',
      'db.notes.aggregate([{$project: {_id: 0, text: 1}}])',
      'db.notes.deleteOne({_id: 1})',
      'db.notes.countDocuments()',
      'db.notes.drop()',
      'db.notes.drop()',
    ].join('\n');
    const run = await lab.run(mongoshMain, ['--quiet', 'db.cloudpets.test'], script + '\n');
    expect(run.stdout).toContain('{ acknowledged: true, insertedId: 1 }');
    expect(run.stdout).toMatch(/matchedCount: 1,\s+modifiedCount: 1/);
    expect(run.stdout).toContain("[ { text: 'bye' } ]");
    expect(run.stdout).toContain('{ acknowledged: true, deletedCount: 1 }');
    expect(run.stdout).toMatch(/scratch> 0\n/);
    expect(run.stdout).toMatch(/scratch> true\nscratch> false\n/);
  });

  it('creates and lists users, and runs admin commands through getSiblingDB', async () => {
    const run = await eval_(
      lab,
      'db.cloudpets.test/cloudpets',
      '--eval',
      'db.createUser({user: "app", pwd: "app-pass", roles: [{role: "readWrite", db: "cloudpets"}]})\nshow users\ndb.getSiblingDB("admin").runCommand({ping: 1}).ok + db.adminCommand("ping").ok',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^2\n$/m);
    const users = await eval_(lab, 'db.cloudpets.test/cloudpets', '--json=relaxed', '--eval', 'db.getUsers().users.map(u => u.user)');
    expect(JSON.parse(users.stdout)).toEqual(['app']);
  });

  it('runs --file scripts and reports a thrown error with exit code 1', async () => {
    writeFileSync(join(lab.dir, 'count.js'), 'print("users:", db.getSiblingDB("cloudpets").users.countDocuments())\n');
    const ok = await eval_(lab, 'db.cloudpets.test', '--file', 'count.js');
    expect(ok.stdout).toBe('users: 1\n');
    // print() returns undefined, as in mongosh: no stray result line after what it printed.
    const printed = await eval_(lab, 'db.cloudpets.test', '--eval', 'print("just this")');
    expect(printed.stdout).toBe('just this\n');
    const bad = await eval_(lab, 'db.cloudpets.test', '--eval', 'nosuch.thing');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('ReferenceError: nosuch is not defined\n');
    const syntax = await eval_(lab, 'db.cloudpets.test', '--eval', 'db.users.find({)');
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/^SyntaxError: /);
  });

  it('prints the banner with the server version and its startup warnings', async () => {
    const run = await lab.run(mongoshMain, ['db.cloudpets.test', '--eval', '1']);
    expect(run.stdout).toMatch(/^Connecting to:\t\tmongodb:\/\/db\.cloudpets\.test:27017\//);
    expect(run.stdout).toMatch(/Using MongoDB:\t\t\d+\.\d+\.\d+/);
    expect(run.stdout).toContain('Access control is not enabled for the database');
  });
});

describe('mongosh: a server that requires authentication', () => {
  it('prints Unauthorized like mongosh, in the REPL and in --eval', async () => {
    const repl = await authLab.run(mongoshMain, ['--quiet', 'db.cloudpets.test'], 'show dbs\n');
    expect(repl.stdout).toContain('Uncaught \rMongoServerError[Unauthorized]: Command listDatabases requires authentication\n');
    const evaluated = await eval_(authLab, 'db.cloudpets.test', '--eval', 'show dbs');
    expect(evaluated.code).toBe(1);
    expect(evaluated.stderr).toBe('MongoServerError: Command listDatabases requires authentication\n');
  });

  it('logs in with -u/-p/--authenticationDatabase or a connection string, and refuses a wrong password', async () => {
    const flags = await eval_(authLab, 'db.cloudpets.test/cloudpets', '-u', 'admin', '-p', 'S3cure!pass', '--authenticationDatabase', 'admin', '--eval', 'db.users.findOne().email');
    expect(flags.stdout).toBe('locked@example.com\n');
    const uri = await eval_(authLab, 'mongodb://admin:S3cure%21pass@db.cloudpets.test:27017/cloudpets?authSource=admin', '--eval', 'db.users.countDocuments()');
    expect(uri.stdout).toBe('1\n');
    // A bare -p asks for the password (here from piped stdin) instead of taking it from argv.
    const prompted = await authLab.run(mongoshMain, ['--quiet', 'db.cloudpets.test/cloudpets', '-u', 'admin', '-p', '--authenticationDatabase', 'admin', '--eval', 'db.users.countDocuments()'], 'S3cure!pass\n');
    expect(prompted.stdout).toBe('Enter password: \n1\n');
    const noUser = await authLab.run(mongoshMain, ['db.cloudpets.test', '-p']);
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toMatch(/asks for the password of a user: add -u NAME/);
    const wrong = await eval_(authLab, 'db.cloudpets.test', '-u', 'admin', '-p', 'guess', '--authenticationDatabase', 'admin', '--eval', '1');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^MongoServerError(\[AuthenticationFailed\])?: Authentication failed\./);
  });
});

describe('mongosh without node:vm (the fallback evaluator)', () => {
  it('gives the same results as the vm evaluator', async () => {
    const scripts = [
      'db.users.find()',
      'const u = db.users.findOne({email: "parent1@example.com"})\nu.profile.pets.map(p => p.name)',
      'function twice(x) { return x * 2 }\ntwice(db.pages.countDocuments())',
      'for (let i = 0; i < 2; i++) { db.pages.findOne({_id: i}) }',
      'use cloudpets\ndb.getName()',
      'nosuch',
    ];
    for (const script of scripts) {
      const viaVm = await eval_(lab, 'db.cloudpets.test/cloudpets', '--eval', script);
      const io = lab.io();
      io.env = { ...io.env, CLOUDPETS_MONGOSH_EVALUATOR: 'function' };
      const code = await mongoshMain(['--quiet', 'db.cloudpets.test/cloudpets', '--eval', script], io);
      const viaFunction = io.out();
      expect(code, script).toBe(viaVm.code);
      expect(viaFunction.stdout, script).toBe(viaVm.stdout);
      expect(viaFunction.stderr, script).toBe(viaVm.stderr);
    }
    const io = lab.io();
    io.env = { ...io.env, CLOUDPETS_MONGOSH_EVALUATOR: 'function' };
    await mongoshMain(['--quiet', 'db.cloudpets.test', '--eval', 'globalThis === __shellScope'], io);
    expect(io.out().stdout).toBe('false\n');
    expect((await eval_(lab, 'db.cloudpets.test', '--eval', 'globalThis === __shellScope')).stdout).toBe('true\n');
  });
});

describe('mongosh through the lab network only', () => {
  it('never reaches a server by its real loopback address', async () => {
    // The database really listens on 127.0.0.1:<port>; the map does not name that, so it is closed.
    const run = await eval_(lab, `mongodb://127.0.0.1:${open.port}/`, '--eval', '1');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/connection refused/);
  });
});
