/**
 * The whole world: database + bucket + app API on the lab network, started from a lab
 * folder, driven the way the app and the learner would.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorld, initLabFolder, startWorld } from '../../sandboxes/world/index.ts';
import { datasetCounts, recordingsOf, user, weakPasswordOf } from '../../sandboxes/world/dataset/generate.ts';
import { resolve } from '../../sandboxes/world/network/resolve.ts';
import { rawRequest, tempLab, writeLabFile } from './helpers.ts';

const USERS = 300;

async function call(world: RunningWorld, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(world.addresses.api + path, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

/** Follow a bucket link as a browser on the lab network would (Host = the link's host). */
function follow(world: RunningWorld, link: string) {
  const url = new URL(link);
  const real = resolve(url.hostname, Number(url.port || 80), { map: world.network });
  return rawRequest(`http://${real.host}:${real.port}${url.pathname}${url.search}`, { headers: { host: url.host } });
}

function knownParent(world: RunningWorld, skip = 0) {
  const options = world.seeded.dataset;
  let seen = 0;
  for (let i = 0; i < options.users; i++) {
    const password = weakPasswordOf(options, i);
    if (password && seen++ >= skip) return { index: i, email: user(options, i).email, password };
  }
  throw new Error('no weak-password user in the dataset');
}

describe('the world in its 2016 state', () => {
  let lab: ReturnType<typeof tempLab>;
  let world: RunningWorld;
  beforeAll(async () => {
    lab = tempLab();
    initLabFolder(lab.dir);
    world = await startWorld({ labDir: lab.dir, users: USERS, seed: 99 });
  });
  afterAll(async () => {
    await world?.close();
    lab?.cleanup();
  });

  it('seeds the database and records exactly what it seeded', async () => {
    const seeded = JSON.parse(readFileSync(join(lab.dir, '.lab', 'seeded.json'), 'utf8'));
    expect(seeded.dataset).toEqual({ seed: 99, users: USERS });
    expect(seeded.counts).toEqual(datasetCounts({ seed: 99, users: USERS }));
    const client = new MongoClient(world.addresses.db, { directConnection: true });
    try {
      const db = client.db('cloudpets');
      for (const [name, count] of Object.entries(seeded.counts)) expect(await db.collection(name).countDocuments(), name).toBe(count);
      const doc = await db.collection('recordings').findOne({});
      expect(doc!.url).toMatch(/^http:\/\/bucket\.cloudpets\.test\/recordings\/[0-9a-f]{24}\/[0-9a-f]{24}\.wav$/);
    } finally {
      await client.close();
    }
  });

  it('network.json: the database is open to the internet on 27017, bucket and API on 80', () => {
    const map = JSON.parse(readFileSync(world.networkPath, 'utf8'));
    expect(Object.keys(map.hosts).sort()).toEqual(['api.cloudpets.test', 'bucket.cloudpets.test', 'db.cloudpets.test']);
    expect(map.hosts['db.cloudpets.test'].ports['27017'].port).toBe(Number(world.addresses.db.split(':').pop()));
    expect(map.hosts['bucket.cloudpets.test'].ports['80'].port).toBe(world.bucket.port);
    expect(map.hosts['api.cloudpets.test'].ports['80'].port).toBe(world.api.port);
    expect(map.appLocal['27017'].host).toBe('127.0.0.1');
    for (const url of Object.values(world.addresses).filter((v) => /^(http|mongodb):/.test(v))) expect(url).toMatch(/\/\/127\.0\.0\.1:\d+/);
  });

  it('sign-up accepts any password (2016), login checks it with bcrypt', async () => {
    const signup = await call(world, 'POST', '/signup', { email: 'new.parent@example.com', password: 'qwe', name: 'New Parent' });
    expect(signup.status).toBe(201);
    expect(signup.json.token).toMatch(/^[0-9a-f]{48}$/);
    expect((await call(world, 'POST', '/signup', { email: 'new.parent@example.com', password: 'other' })).status).toBe(409);
    expect((await call(world, 'POST', '/login', { email: 'new.parent@example.com', password: 'qwe' })).status).toBe(200);
    const wrong = await call(world, 'POST', '/login', { email: 'new.parent@example.com', password: 'qwerty' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('wrong e-mail or password');
    expect((await fetch(`${world.addresses.api}/.well-known/security.txt`)).status).toBe(404);
    const client = new MongoClient(world.addresses.db, { directConnection: true });
    const stored = await client.db('cloudpets').collection('users').findOne({ email: 'new.parent@example.com' });
    await client.close();
    expect(stored!.password).toMatch(/^\$2a\$10\$/);
  });

  it("a parent sees their pets and recordings; the link is the public URL and it downloads the WAV", async () => {
    const parent = knownParent(world);
    const login = await call(world, 'POST', '/login', { email: parent.email, password: parent.password });
    expect(login.status).toBe(200);
    const token = login.json.token;
    const pets = await call(world, 'GET', '/me/pets', undefined, token);
    expect(pets.status).toBe(200);
    expect(pets.json.length).toBeGreaterThanOrEqual(1);
    expect((await call(world, 'GET', '/me/children', undefined, token)).json.length).toBe(pets.json.length);
    const recordings = await call(world, 'GET', '/me/recordings', undefined, token);
    const expected = recordingsOf(world.seeded.dataset, parent.index);
    expect(recordings.json.map((r: { id: string }) => r.id).sort()).toEqual(expected.map((r) => r.doc._id.toHexString()).sort());
    const first = recordings.json[0];
    expect(first.link).toMatch(/^http:\/\/bucket\.cloudpets\.test\/recordings\//);
    const one = await call(world, 'GET', `/recordings/${first.id}/link`, undefined, token);
    expect(one.json.url).toBe(first.link);
    const wav = await follow(world, first.link);
    expect(wav.status).toBe(200);
    expect(wav.body.subarray(0, 4).toString('latin1')).toBe('RIFF');
  });

  it("2016: the app hands out another family's recording link if asked; no token is 401; bad JSON is 400", async () => {
    const me = knownParent(world, 0);
    const other = knownParent(world, 1);
    const token = (await call(world, 'POST', '/login', { email: me.email, password: me.password })).json.token;
    const theirs = recordingsOf(world.seeded.dataset, other.index)[0]!.doc;
    const leaked = await call(world, 'GET', `/recordings/${theirs._id.toHexString()}/link`, undefined, token);
    expect(leaked.status).toBe(200);
    expect(leaked.json.url).toBe(theirs.url);
    expect((await call(world, 'GET', '/recordings/0123456789abcdef01234567/link', undefined, token)).status).toBe(404);
    const anonymous = await call(world, 'GET', '/me/recordings');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error).toMatch(/Authorization: Bearer/);
    const bad = await call(world, 'POST', '/login', '{"email": ');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/not valid JSON/);
    expect((await call(world, 'POST', '/login', { email: me.email })).json.error).toBe('"password" is required (a non-empty string)');
  });

  it("the learner's own Node code reaches db.cloudpets.test:27017 with the mongodb driver through the preload", async () => {
    const script = `
      import { MongoClient } from 'mongodb';
      const client = new MongoClient('mongodb://db.cloudpets.test:27017/', { serverSelectionTimeoutMS: 3000 });
      console.log(await client.db('cloudpets').collection('users').countDocuments());
      await client.close();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: process.cwd(), // so that 'mongodb' resolves from the repository's node_modules
      // From the sources the preload imports .ts modules: tsx loads them on every Node the project supports.
      env: { ...process.env, NODE_OPTIONS: `--import ${import.meta.resolve('tsx')} --import ${join(process.cwd(), 'sandboxes/world/network/preload.js')}`, CLOUDPETS_NETWORK: world.networkPath },
    });
    expect(Number(stdout.trim())).toBeGreaterThanOrEqual(USERS);
  });
});

describe('lab changes and mistakes', () => {
  const worlds: RunningWorld[] = [];
  const labs: ReturnType<typeof tempLab>[] = [];
  afterEach(async () => {
    for (const w of worlds.splice(0)) await w.close();
    for (const l of labs.splice(0)) l.cleanup();
  });
  async function world(edit: (dir: string) => void = () => undefined, users = 60): Promise<RunningWorld> {
    const lab = tempLab();
    labs.push(lab);
    initLabFolder(lab.dir);
    edit(lab.dir);
    const w = await startWorld({ labDir: lab.dir, users, seed: 5 });
    worlds.push(w);
    return w;
  }

  it('never re-seeds: deleted data stays deleted after a restart', async () => {
    const first = await world();
    const labDir = first.labDir;
    const client = new MongoClient(first.addresses.db, { directConnection: true });
    await client.db('cloudpets').collection('users').deleteMany({});
    await client.close();
    await first.close();
    const second = await startWorld({ labDir, users: 60, seed: 5 });
    worlds.push(second);
    const again = new MongoClient(second.addresses.db, { directConnection: true });
    expect(await again.db('cloudpets').collection('users').countDocuments()).toBe(0);
    expect(await again.db('cloudpets').collection('recordings').countDocuments()).toBe(second.seeded.counts.recordings);
    await again.close();
  });

  it('a syntax error in api/app.js is reported with file and line; the rest of the world runs', async () => {
    const w = await world((dir) => writeLabFile(dir, 'api/app.js', "module.exports = {\n  mongodbUri: 'mongodb://localhost:27017/cloudpets',\n  checkPassword(password) {\n    return password.length < 8 ? 'too short' : null\n  },,\n};\n"));
    expect(w.api.loadError?.message).toMatch(/^api\/app\.js line 5: SyntaxError: /);
    expect(w.warnings.join('\n')).toContain('api/app.js line 5');
    const res = await call(w, 'POST', '/login', { email: 'a@example.com', password: 'x' });
    expect(res.status).toBe(500);
    expect(res.json.error).toMatch(/api\/app\.js line 5: SyntaxError/);
    // The bucket and the database still answer.
    const key = recordingsOf(w.seeded.dataset, 0)[0]!.doc.key;
    expect((await follow(w, `http://bucket.cloudpets.test/${key}`)).status).toBe(200);
  });

  it('an exception inside an app function is a 500 naming the line, not a crash', async () => {
    const w = await world((dir) => {
      const app = readFileSync(join(dir, 'api', 'app.js'), 'utf8').replace('checkPassword(password) {\n    return null;', 'checkPassword(password) {\n    return password.trim().lenght.valueOf();');
      writeLabFile(dir, 'api/app.js', app);
    });
    expect(w.api.loadError).toBeUndefined();
    const res = await call(w, 'POST', '/signup', { email: 'x@example.com', password: 'secret' });
    expect(res.status).toBe(500);
    expect(res.json.error).toMatch(/^api\/app\.js line \d+: TypeError: Cannot read properties of undefined/);
    expect((await call(w, 'GET', '/')).status).toBe(200);
  });

  it('a deleted app.js or a bad api/.env line is named, with what to do', async () => {
    const gone = await world((dir) => rmSync(join(dir, 'api', 'app.js')));
    expect(gone.api.loadError?.message).toBe("api/app.js is missing: restore it from the lab's starting files (or reset the lab)");
    const badEnv = await world((dir) => writeLabFile(dir, 'api/.env', 'MONGODB_URI=mongodb://localhost:27017/cloudpets\nexport PASSWORD\n'));
    expect(badEnv.api.loadError?.message).toBe('api/.env line 2: expected NAME=value (found "export PASSWORD")');
  });

  it('missing exports are named', async () => {
    const w = await world((dir) => writeLabFile(dir, 'api/app.js', 'module.exports = { mongodbUri: "mongodb://localhost:27017/cloudpets" };\n'));
    expect(w.api.loadError?.message).toMatch(/checkPassword\(password\)" must be a function; "recordingLink/);
  });

  it('the fixed app: a password rule refuses "qwe" and links are presigned, short-lived and work', async () => {
    const w = await world((dir) => {
      const app = readFileSync(join(dir, 'api', 'app.js'), 'utf8')
        .replace('checkPassword(password) {\n    return null;', "checkPassword(password) {\n    if (password.length < 8 || !/[0-9\\W]/.test(password)) return 'use at least 8 characters with a number or a symbol';\n    return null;")
        .replace('return recording.url;', 'if (recording.userId !== user.id) return null;\n    return presign(recording.key, 300);');
      writeLabFile(dir, 'api/app.js', app);
    });
    const refused = await call(w, 'POST', '/signup', { email: 'p@example.com', password: 'qwe' });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe('password refused: use at least 8 characters with a number or a symbol');
    expect((await call(w, 'POST', '/signup', { email: 'p@example.com', password: 'teddy-bear-7' })).status).toBe(201);
    const parent = knownParent(w);
    const token = (await call(w, 'POST', '/login', { email: parent.email, password: parent.password })).json.token;
    const recordings = (await call(w, 'GET', '/me/recordings', undefined, token)).json;
    expect(recordings[0].link).toMatch(/X-Amz-Expires=300&/);
    expect((await follow(w, recordings[0].link)).status).toBe(200);
    const mine = await call(w, 'GET', `/recordings/${recordings[0].id}/link`, undefined, token);
    expect(mine.json.url).toMatch(/X-Amz-Signature=/);
    const theirs = recordingsOf(w.seeded.dataset, parent.index === 0 ? 1 : 0)[0]!.doc._id.toHexString();
    const notTheirs = await call(w, 'GET', `/recordings/${theirs}/link`, undefined, token);
    expect(notTheirs.status).toBe(404);
    expect(notTheirs.json.error).toBe('no such recording');
  });

  it('optional hooks: throttled logins (429), must-change passwords, change-password, security.txt', async () => {
    const w = await world((dir) => {
      const app = readFileSync(join(dir, 'api', 'app.js'), 'utf8').replace(
        '  checkPassword(password) {',
        [
          '  beforeLogin(email) { return (this.failed.get(email) ?? 0) >= 3 ? { retryAfter: 30 } : null; },',
          '  afterLogin(email, ok) { this.failed.set(email, ok ? 0 : (this.failed.get(email) ?? 0) + 1); },',
          '  failed: new Map(),',
          "  mustChangePassword(password) { return ['qwe', 'cloudpets', '123456', 'password', 'qwerty', '12345678', '111111', 'abc123', 'iloveyou', 'teddy'].includes(password); },",
          "  securityTxt: 'Contact: mailto:security@cloudpets.example\\nExpires: 2030-01-01T00:00:00Z\\n',",
          '  checkPassword(password) {',
        ].join('\n'),
      );
      writeLabFile(dir, 'api/app.js', app);
    });
    expect(w.api.loadError).toBeUndefined();
    const parent = knownParent(w);
    const must = await call(w, 'POST', '/login', { email: parent.email, password: parent.password });
    expect(must.status).toBe(403);
    expect(must.json.mustChangePassword).toBe(true);
    expect(must.json.token).toBeUndefined();
    const refused = await call(w, 'POST', '/change-password', { email: parent.email, password: parent.password, newPassword: 'qwerty' });
    expect(refused.status).toBe(400);
    const changed = await call(w, 'POST', '/change-password', { email: parent.email, password: parent.password, newPassword: 'a long teddy bear sentence' });
    expect(changed.status).toBe(200);
    expect((await call(w, 'POST', '/login', { email: parent.email, password: 'a long teddy bear sentence' })).json.token).toMatch(/^[0-9a-f]{48}$/);
    expect((await call(w, 'POST', '/login', { email: parent.email, password: parent.password })).status).toBe(401);
    // Three failures in a row (one above), then 429 with Retry-After without checking the password.
    await call(w, 'POST', '/login', { email: parent.email, password: 'nope' });
    await call(w, 'POST', '/login', { email: parent.email, password: 'nope' });
    const res = await fetch(`${w.addresses.api}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: parent.email, password: 'a long teddy bear sentence' }) });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    const txt = await fetch(`${w.addresses.api}/.well-known/security.txt`);
    expect(txt.status).toBe(200);
    expect(txt.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await txt.text()).toContain('Contact: mailto:security@cloudpets.example');
  });

  it('bindIp 127.0.0.1: the database is closed to the internet but the app still works', async () => {
    const w = await world((dir) => {
      const conf = readFileSync(join(dir, 'mongod.conf'), 'utf8').replace('bindIp: 0.0.0.0', 'bindIp: 127.0.0.1');
      writeLabFile(dir, 'mongod.conf', conf);
    });
    expect(() => resolve('db.cloudpets.test', 27017, { map: w.network })).toThrow(/ECONNREFUSED 203\.0\.113\.10:27017/);
    const parent = knownParent(w);
    expect((await call(w, 'POST', '/login', { email: parent.email, password: parent.password })).status).toBe(200);
  });

  it('a closed bucket (no policy + RestrictPublicBuckets) stops the stored public URLs', async () => {
    const w = await world((dir) => {
      writeLabFile(dir, 'bucket/policy.json', '');
      writeLabFile(dir, 'bucket/public-access-block.json', JSON.stringify({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }));
    });
    const key = recordingsOf(w.seeded.dataset, 0)[0]!.doc.key;
    const res = await follow(w, `http://bucket.cloudpets.test/${key}`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('<Message>Access Denied</Message>');
  });

  it('a broken policy.json or mongod.conf stops the world with a clear error', async () => {
    await expect(world((dir) => writeLabFile(dir, 'bucket/policy.json', '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::cloudpets-recordings"}]}'))).rejects.toThrow(
      /Action does not apply to any resource\(s\) in statement: .*bucket\/policy\.json: Statement\[0\]/,
    );
    await expect(world((dir) => writeLabFile(dir, 'mongod.conf', 'net:\n  bindIp: [0.0.0.0\n'))).rejects.toThrow(/YAML|config/i);
    await expect(world((dir) => writeLabFile(dir, 'mongod.conf', 'net:\n  bindIp: 192.168.1.20\n'))).rejects.toThrow(/cannot bind 192\.168\.1\.20/);
  });
});
