/**
 * The classroom server with a real SQLite file and the real grader: learners join and hand
 * in, the instructor's matrix and CSV show them, the server restarts with nothing lost, 50
 * hand-ins at once are all graded, and every door that should be shut is: other learners'
 * results, the instructor pages without the secret, cross-site writes, bad and oversized
 * archives, floods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { strToU8, zipSync } from 'fflate';
import { freshLab } from '../../sandboxes/lab-shell/fresh-lab.ts';
import type { HandIn } from '../../sandboxes/grading/archive-reader.ts';
import { MANIFEST_NAME } from '../../sandboxes/grading/hand-in-format.ts';
import { handInFromLabFolder, packHandIn } from '../../sandboxes/grading/load-submissions.ts';
import { openSqliteStore } from '../../src/classroom/sqlite-store.ts';
import { startClassroom, type RunningClassroom } from '../../src/classroom/server.ts';

const COURSE = 'http://127.0.0.1:4321';
const WORLD = { seed: 2016, users: 20 };
const LONG = 600_000;

let dataDir: string;
let dbPath: string;
let classroom: RunningClassroom;
let code: string;
let secret: string;
let recon: HandIn;

async function start(): Promise<RunningClassroom> {
  const store = await openSqliteStore(dbPath);
  return startClassroom({ store, courseOrigins: [COURSE], workers: 2, handInBurst: 5 });
}

const api = (path: string, init: RequestInit & { token?: string } = {}): Promise<Response> =>
  fetch(`${classroom.url}/api/classes/${code}/${path}`, {
    ...init,
    headers: { Origin: COURSE, ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}), ...(init.headers as Record<string, string> | undefined) },
  });

async function joinClass(learnerId: string, name?: string): Promise<string> {
  const response = await api('join', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ learnerId, name }) });
  expect(response.status, await response.clone().text()).toBe(201);
  return String(((await response.json()) as { learnerToken: string }).learnerToken);
}

function archiveFor(learnerId: string, name?: string, handIn = recon): Uint8Array {
  return packHandIn({ ...handIn, manifest: { ...handIn.manifest, learner: { id: learnerId, ...(name ? { name } : {}) } } });
}

const handIn = (token: string, bytes: Uint8Array | string): Promise<Response> => api('hand-ins', { method: 'POST', token, headers: { 'Content-Type': 'application/zip' }, body: bytes as BodyInit });

const teach = (path: string, init: RequestInit & { cookie?: string } = {}): Promise<Response> =>
  fetch(`${classroom.url}${path}`, { redirect: 'manual', ...init, headers: { ...(init.cookie ? { Cookie: init.cookie } : {}), ...(init.headers as Record<string, string> | undefined) } });

async function instructorCookie(): Promise<string> {
  const response = await teach(`/teach/secret/${secret}`);
  expect(response.status).toBe(303);
  const setCookie = response.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Strict/);
  return setCookie.split(';')[0]!;
}

async function results(cookie: string): Promise<{ learners: { learnerId: string; name?: string }[]; results: { learner: { id: string }; lab: string; status: string; failures: { id: string; reason: string }[]; notes: string[] }[] }> {
  const response = await teach('/teach/results.json', { cookie });
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

beforeAll(async () => {
  // One real recon solution; every learner in this file hands in these files.
  // Two busy cores can be slower than the world's 30 s start limit: that is load, try once more.
  const lab = await freshLab('recon', { solution: true, world: WORLD }).catch(() => freshLab('recon', { solution: true, world: WORLD }));
  try {
    recon = handInFromLabFolder(lab.dir, { learner: { id: 'template' }, lastReport: await lab.checks() });
  } finally {
    await lab.dispose();
  }
  dataDir = mkdtempSync(join(tmpdir(), 'cloudpets-classroom-'));
  dbPath = join(dataDir, 'classroom.sqlite');
  classroom = await start();
  const made = classroom.createClass('Tuesday bootcamp');
  code = made.cls.code;
  secret = made.instructorUrl.split('/').pop()!;
}, LONG);

afterAll(async () => {
  await classroom?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('classroom server', () => {
  let ada: string;
  let bob: string;

  it('two learners join from the course origin and pass a lab; the instructor matrix shows both', { timeout: LONG }, async () => {
    const preflight = await fetch(`${classroom.url}/api/classes/${code}/hand-ins`, { method: 'OPTIONS', headers: { Origin: COURSE, 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(COURSE);
    const foreign = await fetch(`${classroom.url}/api/classes/${code}/hand-ins`, { method: 'OPTIONS', headers: { Origin: 'http://evil.test', 'Access-Control-Request-Method': 'POST' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    ada = await joinClass('l-000000000000ada0', 'Ada Example');
    bob = await joinClass('l-000000000000b0b0', 'bob@example.com');
    for (const [token, id, name] of [[ada, 'l-000000000000ada0', 'Ada Example'], [bob, 'l-000000000000b0b0', 'bob@example.com']] as const) {
      const response = await handIn(token, archiveFor(id, name));
      expect(response.status, await response.clone().text()).toBe(202);
    }
    await classroom.queue.idle();
    const cookie = await instructorCookie();
    const seen = await results(cookie);
    expect(seen.results.map((r) => [r.learner.id, r.lab, r.status]).sort()).toEqual([
      ['l-000000000000ada0', 'recon', 'passed'],
      ['l-000000000000b0b0', 'recon', 'passed'],
    ]);
    const matrix = await (await teach('/teach', { cookie, headers: { Accept: 'text/html' } })).text();
    expect(matrix).toContain('Ada Example');
    expect(matrix).toContain('bob@example.com');
    expect(matrix.match(/class="pass"/g)?.length).toBe(2);
    const csv = await (await teach('/teach/export.csv', { cookie })).text();
    expect(csv.split('\r\n').filter((line) => line.includes(',recon,passed,')).length).toBe(2);
  });

  it('a learner sees only their own results and cannot hand in another learner\'s work', async () => {
    const mine = (await (await api('me', { token: ada })).json()) as { learner: { id: string }; handIns: { lab: string }[] };
    expect(mine.learner.id).toBe('l-000000000000ada0');
    expect(mine.handIns.length).toBe(1);
    expect(JSON.stringify(mine)).not.toContain('b0b0');
    expect((await api('me', { token: 'not-a-token' })).status).toBe(401);
    expect((await api('me')).status).toBe(401);
    const asBob = await handIn(ada, archiveFor('l-000000000000b0b0', 'bob@example.com'));
    expect(asBob.status).toBe(403);
    expect(((await asBob.json()) as { error: string }).error).toMatch(/another learner's work/);
    // A second join with Bob's id does not hand out a new token for Bob.
    const rejoin = await api('join', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ learnerId: 'l-000000000000b0b0' }) });
    expect(rejoin.status).toBe(409);
  });

  it('refuses instructor pages without the secret, and cross-site writes with it', async () => {
    for (const path of ['/teach', '/teach/results.json', '/teach/export.csv', '/teach/matrix', '/teach/learners/l-000000000000ada0', '/teach/events']) {
      expect((await teach(path)).status, path).toBe(403);
      expect((await teach(path, { cookie: 'cloudpets_teach=wrong-secret-of-enough-length' })).status, path).toBe(403);
    }
    expect((await teach('/teach/secret/AAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(403);
    const cookie = await instructorCookie();
    const page = await (await teach('/teach', { cookie })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    expect((await teach('/teach/regrade', { method: 'POST', cookie, headers: { ...form, Origin: 'http://evil.test' }, body: `csrf=${csrf}` })).status).toBe(403);
    expect((await teach('/teach/regrade', { method: 'POST', cookie, headers: { ...form, Origin: classroom.url }, body: 'csrf=forged' })).status).toBe(403);
    expect((await teach('/teach/regrade', { method: 'POST', headers: { ...form, Origin: classroom.url }, body: `csrf=${csrf}` })).status).toBe(403);
    expect((await teach('/teach/regrade', { method: 'POST', cookie, headers: { ...form, Origin: classroom.url }, body: `csrf=${csrf}` })).status).toBe(303);
    await classroom.queue.idle();
    // A Host that is not the classroom's (DNS rebinding) is refused before any route.
    const rebound = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${classroom.url}/teach`);
      request({ host: url.hostname, port: url.port, path: url.pathname, headers: { Host: 'evil.test', Cookie: cookie } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(rebound).toBe(421);
  });

  it('bad, malicious and oversized hand-ins get a clear error and the server keeps going', async () => {
    const carol = await joinClass('l-00000000000ca201');
    const garbage = await handIn(carol, 'this is not a zip');
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { error: string }).error).toMatch(/not a zip archive/);
    const traversal = zipSync({ [MANIFEST_NAME]: strToU8('{}'), 'files/../../../etc/cron.d/x': strToU8('x') });
    const refused = await handIn(carol, traversal);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/climbs out/);
    const huge = await handIn(carol, new Uint8Array(9 * 1024 * 1024));
    expect(huge.status).toBe(413);
    const unknownClass = await fetch(`${classroom.url}/api/classes/ZZZZZZ/me`, { headers: { Origin: COURSE } });
    expect(unknownClass.status).toBe(404);
    // Carol has used her burst of 5 (4 above plus this one); the next is refused with Retry-After.
    await handIn(carol, 'x');
    await handIn(carol, 'x');
    const flooded = await handIn(carol, 'x');
    expect(flooded.status).toBe(429);
    expect(Number(flooded.headers.get('retry-after'))).toBeGreaterThan(0);
    // Still serving, and nothing of Carol's was stored.
    const mine = (await (await api('me', { token: carol })).json()) as { handIns: unknown[] };
    expect(mine.handIns).toEqual([]);
  });

  it('stops and starts again with nothing lost, and grades what was still waiting', { timeout: LONG }, async () => {
    const dave = await joinClass('l-00000000000da7e0', 'Dave');
    // Hand in three, then stop at once: the two grades in progress finish, the third stays
    // queued on disk and is graded after the restart.
    const answers = await Promise.all([
      handIn(dave, archiveFor('l-00000000000da7e0', 'Dave')),
      handIn(ada, archiveFor('l-000000000000ada0', 'Ada Example')),
      handIn(bob, archiveFor('l-000000000000b0b0', 'bob@example.com')),
    ]);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    await classroom.close();
    const between = await openSqliteStore(dbPath);
    expect(between.queued().length).toBeGreaterThan(0);
    between.close();
    classroom = await start();
    await classroom.queue.idle();
    const cookie = await instructorCookie();
    const seen = await results(cookie);
    expect(seen.learners.map((l) => l.name ?? l.learnerId)).toEqual(expect.arrayContaining(['Ada Example', 'bob@example.com', 'Dave']));
    expect(seen.results.filter((r) => r.status === 'passed').map((r) => r.learner.id).sort()).toEqual(['l-000000000000ada0', 'l-000000000000b0b0', 'l-00000000000da7e0']);
    // The learner tokens still work after the restart.
    expect((await api('me', { token: dave })).status).toBe(200);
  });

  it('grades 50 hand-ins sent at once', { timeout: LONG }, async () => {
    const learners = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const id = `l-${(0x5000 + i).toString(16).padStart(16, '0')}`;
      return { id, token: await joinClass(id, `Learner ${i + 1}`) };
    }));
    const answers = await Promise.all(learners.map(({ id, token }, i) => handIn(token, archiveFor(id, `Learner ${i + 1}`))));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(202));
    await classroom.queue.idle();
    const seen = await results(await instructorCookie());
    const batch = seen.results.filter((r) => r.learner.id.startsWith('l-0000000000005'));
    expect(batch.length).toBe(50);
    const notPassed = batch.filter((r) => r.status !== 'passed').map((r) => `${r.learner.id}: ${r.status} ${JSON.stringify(r.failures)} ${r.notes.join('; ')}`);
    expect(notPassed).toEqual([]);
  });
});
