/**
 * The classroom server an instructor runs (`npm run classroom`). Two kinds of callers:
 *
 * - Learners' course pages, cross-origin (the course runs elsewhere): they join a class with
 *   its code and get a learner token (stored hashed), hand in archives with that token, and
 *   read their own results. CORS allows only the configured course origins; the token, not a
 *   cookie, authenticates, so no other site can act for a learner.
 * - The instructor, same-origin: the secret link sets an HttpOnly SameSite=Strict cookie;
 *   every /teach page needs it, and every state-changing request also needs our own Origin
 *   and a CSRF token derived from the secret.
 *
 * Each hand-in is checked (size, rate, archive safety, that it is the caller's own work) and
 * stored before the answer, then graded by the bounded queue. Bad input gets a 4xx with a
 * reason; nothing a caller sends can stop the server.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArchiveError, readHandIn } from '../../sandboxes/grading/archive-reader.ts';
import { findLab } from '../../sandboxes/labs/registry.ts';
import { formatCsv, formatHtml } from '../../sandboxes/grading/grade-reports.ts';
import type { GradeResult } from '../../sandboxes/grading/grade.ts';
import { createGradingQueue, type Grader, type GradingQueue } from './grading-queue.ts';
import { CLASSROOM_CSS, LIVE_SCRIPT, instructorPage, joinPage, latestCells, learnerPage, matrixTable, messagePage } from './pages.ts';
import { createRateLimiter } from './rate-limit.ts';
import type { ClassRecord, ClassroomStore, HandInRecord } from './store.ts';
import { hostName, isLoopbackName } from '../server/static/loopback-host.ts';

export const MAX_HAND_IN_BYTES = 8 * 1024 * 1024;
const MAX_JSON_BYTES = 16 * 1024;
const MAX_QUEUE = 1000;
const COOKIE = 'cloudpets_teach';

export interface ClassroomOptions {
  store: ClassroomStore;
  host?: string;
  port?: number;
  /** Origins of the course pages that may join and hand in (CORS allow-list). */
  courseOrigins: string[];
  /** The course URL the join page sends learners to (default: the first course origin). */
  courseUrl?: string;
  /** The address learners and the instructor use, when it differs from host:port (a LAN name, a proxy). */
  publicUrl?: string;
  workers?: number;
  /** Tests may pass a grader; the default re-runs the lab (sandboxes/grading). */
  grade?: Grader;
  /** Hand-ins per learner: a burst, then one every `handInEverySeconds`. */
  handInBurst?: number;
  handInEverySeconds?: number;
}

export interface RunningClassroom {
  url: string;
  server: Server;
  queue: GradingQueue;
  store: ClassroomStore;
  createClass(name: string): { cls: ClassRecord; instructorSecret: string; joinUrl: string; instructorUrl: string };
  joinUrl(cls: ClassRecord): string;
  close(): Promise<void>;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const token = (): string => randomBytes(24).toString('base64url');
/** Join codes: no 0/O, 1/I/L, so they can be read out in a room. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const joinCode = (): string => Array.from(randomBytes(6), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new HttpError(413, `too large: at most ${Math.round(limit / 1024)} KiB is accepted`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, `too large: at most ${Math.round(limit / 1024)} KiB is accepted`));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw new HttpError(415, 'send JSON (Content-Type: application/json)');
  const body = await readBody(req, MAX_JSON_BYTES);
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'the body is not a JSON object');
  }
}

function cookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return out;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  // The instructor's link holds the secret: never send it on in a Referer.
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

export async function startClassroom(options: ClassroomOptions): Promise<RunningClassroom> {
  const { store } = options;
  const queue = createGradingQueue(store, { workers: Math.max(1, Math.min(4, options.workers ?? 1)), grade: options.grade });
  const handInLimit = createRateLimiter({ burst: options.handInBurst ?? 10, perSecond: 1 / (options.handInEverySeconds ?? 6) });
  const joinLimit = createRateLimiter({ burst: 120, perSecond: 2 });
  const courseOrigins = new Set(options.courseOrigins.map((origin) => new URL(origin).origin));
  const eventStreams = new Set<{ res: ServerResponse; classCode: string }>();
  let publicUrl = '';
  let publicHost = '';
  const loopbackOnly = isLoopbackName(options.host ?? '127.0.0.1');

  const joinUrl = (cls: ClassRecord): string => `${publicUrl}/join/${cls.code}`;
  const csrfFor = (secret: string): string => createHmac('sha256', secret).update('cloudpets-classroom-csrf').digest('base64url');

  function send(res: ServerResponse, status: number, body: string | Buffer, type: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...PAGE_HEADERS, ...headers });
    res.end(body);
  }
  const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void => send(res, status, JSON.stringify(value), 'application/json; charset=utf-8', headers);
  const html = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => send(res, status, body, 'text/html; charset=utf-8', headers);

  /** CORS headers for a course page's request, or none for any other origin (the browser then refuses it). */
  function corsFor(req: IncomingMessage): Record<string, string> {
    const origin = String(req.headers.origin ?? '');
    if (!courseOrigins.has(origin)) return {};
    return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Cross-Origin-Resource-Policy': 'cross-origin' };
  }

  /** The class the instructor cookie opens, or a 403 that says how to get in. */
  function instructor(req: IncomingMessage): { cls: ClassRecord; secret: string } {
    const secret = cookies(req).get(COOKIE);
    const cls = secret ? store.classForSecret(sha256(secret)) : undefined;
    if (!secret || !cls) throw new HttpError(403, 'This page is for the class\'s instructor. Open the instructor link the classroom printed when it started.');
    return { cls, secret };
  }

  /** State-changing instructor requests: our own Origin and the CSRF token, on top of the SameSite cookie. */
  function checkInstructorWrite(req: IncomingMessage, secret: string, csrf: string | undefined): void {
    const origin = String(req.headers.origin ?? '');
    if (origin !== new URL(publicUrl).origin && origin !== `http://${req.headers.host}`) throw new HttpError(403, 'refused: this request did not come from the classroom\'s own page');
    if (!csrf || !sameText(csrf, csrfFor(secret))) throw new HttpError(403, 'refused: the form\'s token is missing or wrong; reload the page and try again');
  }

  function learnerFor(req: IncomingMessage, code: string) {
    const auth = String(req.headers.authorization ?? '');
    const bearer = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    const learner = bearer ? store.learnerForToken(code, sha256(bearer)) : undefined;
    if (!learner) throw new HttpError(401, 'unknown learner token for this class: join the class again through its join link');
    return { learner, bearer };
  }

  function broadcast(classCode: string, event: string, data: unknown): void {
    for (const stream of eventStreams) {
      if (stream.classCode === classCode) stream.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    }
  }
  queue.onGraded((record, result) => broadcast(record.classCode, 'graded', { id: record.id, learner: record.learnerId, lab: record.lab, status: result.status }));

  const latestResults = (classCode: string): GradeResult[] =>
    [...latestCells(store.handIns(classCode)).values()].flatMap((row) => [...row.values()].flatMap((cell) => (cell.result ? [cell.result] : [])));

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: on loopback, a page elsewhere could point its own name at us; refuse any
    // Host that is not loopback or the address the classroom was told learners use.
    if (loopbackOnly) {
      const name = hostName(req.headers.host);
      if (!name || (!isLoopbackName(name) && name !== publicHost)) throw new HttpError(421, `refused: requests must name this classroom's own address (${publicUrl}), not ${String(req.headers.host)}`);
    }
    const url = new URL(req.url ?? '/', 'http://classroom.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path === '/classroom.css') return send(res, 200, CLASSROOM_CSS, 'text/css; charset=utf-8');
    if (path === '/live.js') return send(res, 200, LIVE_SCRIPT, 'text/javascript; charset=utf-8');
    if (path === '/' && method === 'GET') return html(res, 200, messagePage('CloudPets classroom', 'Learners: open the join link your instructor gave you. Instructors: open the instructor link the classroom printed when it started.'));

    // Learners' API, called cross-origin by the course pages.
    const api = /^\/api\/classes\/([A-Z0-9]{6})\/(join|hand-ins|me)$/.exec(path);
    if (api) {
      const cors = corsFor(req);
      if (method === 'OPTIONS') {
        if (!cors['Access-Control-Allow-Origin']) throw new HttpError(403, 'this course origin is not allowed by the classroom (start it with --course <course URL>)');
        res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'Authorization, Content-Type', 'Access-Control-Max-Age': '600' });
        return void res.end();
      }
      const [, code, action] = api as unknown as [string, string, string];
      const cls = store.findClass(code);
      if (!cls) throw new HttpError(404, `there is no class with code ${code}; check the join link`, cors);
      try {
        if (action === 'join' && method === 'POST') {
          const client = req.socket.remoteAddress ?? 'unknown';
          if (!joinLimit.take(client)) throw new HttpError(429, 'too many joins from this address; wait a minute', { 'Retry-After': String(joinLimit.retryAfter(client)) });
          const body = await readJson(req);
          const learnerId = body.learnerId;
          const name = body.name;
          if (typeof learnerId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(learnerId)) throw new HttpError(400, 'learnerId must be 1 to 64 letters, digits, - or _');
          if (name !== undefined && name !== null && (typeof name !== 'string' || name.length > 120)) throw new HttpError(400, 'name must be text of at most 120 characters');
          const learnerToken = token();
          const cleanName = typeof name === 'string' && name.trim() ? name.trim() : undefined;
          const added = store.addLearner({ classCode: code, learnerId, ...(cleanName ? { name: cleanName } : {}), joinedAt: new Date().toISOString() }, sha256(learnerToken));
          if (!added) throw new HttpError(409, 'this learner already joined the class; the course page keeps its token (clear the class in the course page to join as a new learner)');
          broadcast(code, 'received', { learner: learnerId });
          return json(res, 201, { learnerToken, className: cls.name, classCode: code }, cors);
        }
        if (action === 'hand-ins' && method === 'POST') {
          const { learner, bearer } = learnerFor(req, code);
          if (!handInLimit.take(bearer)) throw new HttpError(429, 'too many hand-ins in a short time; the next one is accepted in a few seconds', { 'Retry-After': String(handInLimit.retryAfter(bearer)) });
          if (queue.pending() >= MAX_QUEUE) throw new HttpError(503, 'the classroom is grading a long queue; hand in again in a minute', { 'Retry-After': '60' });
          const body = await readBody(req, MAX_HAND_IN_BYTES);
          let handIn;
          try {
            handIn = readHandIn(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
          } catch (error) {
            if (error instanceof ArchiveError) throw new HttpError(400, `the hand-in was refused: ${error.message}`);
            throw error;
          }
          if (handIn.manifest.learner.id !== learner.learnerId) throw new HttpError(403, 'this archive is another learner\'s work; hand in your own');
          if (!findLab(handIn.manifest.lab)) throw new HttpError(400, `there is no lab called "${handIn.manifest.lab}" in this course version`);
          const record: Omit<HandInRecord, 'id' | 'status' | 'result'> = { classCode: code, learnerId: learner.learnerId, lab: handIn.manifest.lab, receivedAt: new Date().toISOString() };
          const id = store.addHandIn(record, new Uint8Array(body));
          queue.enqueue({ ...record, id, status: 'queued' });
          broadcast(code, 'received', { id, learner: learner.learnerId, lab: record.lab });
          return json(res, 202, { id, status: 'queued', lab: record.lab }, cors);
        }
        if (action === 'me' && method === 'GET') {
          const { learner } = learnerFor(req, code);
          const handIns = store.handIns(code, learner.learnerId).map(({ id, lab, receivedAt, status, result }) => ({ id, lab, receivedAt, status, ...(result ? { result } : {}) }));
          return json(res, 200, { learner: { id: learner.learnerId, name: learner.name }, className: cls.name, handIns }, cors);
        }
        throw new HttpError(405, `${method} is not allowed here`);
      } catch (error) {
        if (error instanceof HttpError) throw new HttpError(error.status, error.message, { ...cors, ...error.headers });
        throw error;
      }
    }

    const join = /^\/join\/([A-Z0-9]{6})$/.exec(path);
    if (join && method === 'GET') {
      const cls = store.findClass(join[1]!);
      if (!cls) throw new HttpError(404, 'there is no class with this code; check the link your instructor gave you');
      const course = new URL(options.courseUrl ?? [...courseOrigins][0] ?? 'http://127.0.0.1:4321/');
      course.searchParams.set('classroom', new URL(publicUrl).origin);
      course.searchParams.set('class', cls.code);
      return html(res, 200, joinPage(cls, course.href));
    }

    // Instructor pages.
    const secretLink = /^\/teach\/secret\/([A-Za-z0-9_-]{20,64})$/.exec(path);
    if (secretLink && method === 'GET') {
      const secret = secretLink[1]!;
      if (!store.classForSecret(sha256(secret))) throw new HttpError(403, 'this instructor link is not valid for any class here');
      const secure = publicUrl.startsWith('https:') ? '; Secure' : '';
      res.writeHead(303, { ...PAGE_HEADERS, Location: '/teach', 'Set-Cookie': `${COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/${secure}` });
      return void res.end();
    }
    if (path === '/teach' || path.startsWith('/teach/')) {
      const { cls, secret } = instructor(req);
      if (path === '/teach' && method === 'GET') {
        return html(res, 200, instructorPage(cls, store.learners(cls.code), store.handIns(cls.code), { joinUrl: joinUrl(cls), csrfToken: csrfFor(secret), pending: queue.pending() }));
      }
      if (path === '/teach/matrix' && method === 'GET') return json(res, 200, { html: matrixTable(store.learners(cls.code), store.handIns(cls.code)), pending: queue.pending() });
      if (path === '/teach/results.json' && method === 'GET') return json(res, 200, { class: cls, learners: store.learners(cls.code), results: latestResults(cls.code) });
      if (path === '/teach/export.csv' && method === 'GET') {
        return send(res, 200, formatCsv(latestResults(cls.code)), 'text/csv; charset=utf-8', { 'Content-Disposition': `attachment; filename="classroom-${cls.code}.csv"` });
      }
      if (path === '/teach/report.html' && method === 'GET') return html(res, 200, formatHtml(latestResults(cls.code), `${cls.name}: graded hand-ins`), { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" });
      const learnerPath = /^\/teach\/learners\/([A-Za-z0-9_-]{1,64})$/.exec(path);
      if (learnerPath && method === 'GET') {
        const learner = store.learners(cls.code).find((l) => l.learnerId === learnerPath[1]);
        if (!learner) throw new HttpError(404, 'no such learner in this class');
        return html(res, 200, learnerPage(cls, learner, store.handIns(cls.code, learner.learnerId)));
      }
      if (path === '/teach/events' && method === 'GET') {
        res.writeHead(200, { ...PAGE_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        const stream = { res, classCode: cls.code };
        eventStreams.add(stream);
        req.on('close', () => eventStreams.delete(stream));
        return;
      }
      if (path === '/teach/regrade' && method === 'POST') {
        const body = (await readBody(req, MAX_JSON_BYTES)).toString('utf8');
        checkInstructorWrite(req, secret, new URLSearchParams(body).get('csrf') ?? undefined);
        const latest = new Map<string, HandInRecord>();
        for (const handIn of store.handIns(cls.code)) if (!latest.has(`${handIn.learnerId}/${handIn.lab}`)) latest.set(`${handIn.learnerId}/${handIn.lab}`, handIn);
        for (const handIn of latest.values()) queue.enqueue({ ...handIn, status: 'queued' });
        res.writeHead(303, { ...PAGE_HEADERS, Location: '/teach' });
        return void res.end();
      }
      throw new HttpError(405, `${method} ${path} is not a classroom page`);
    }
    throw new HttpError(404, `nothing at ${path}`);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : 'the classroom hit an unexpected error; your data is safe, try again';
      if (!(error instanceof HttpError)) console.error('classroom:', error);
      if (res.headersSent) return void res.end();
      const headers = error instanceof HttpError ? error.headers : {};
      const wantsHtml = String(req.headers.accept ?? '').includes('text/html');
      if (wantsHtml) html(res, status, messagePage(status === 403 ? 'Not allowed' : 'Something is wrong', message), headers);
      else json(res, status, { ok: false, error: message }, headers);
      // A refused upload may still be arriving: let the client see the answer, then drop the rest.
      if (!req.complete) req.resume();
    });
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  publicUrl = (options.publicUrl ?? `http://${shownHost}:${address.port}`).replace(/\/$/, '');
  publicHost = new URL(publicUrl).hostname.toLowerCase();

  // Whatever was waiting when the server last stopped is graded now.
  for (const record of store.queued()) queue.enqueue(record);

  return {
    url: publicUrl,
    server,
    queue,
    store,
    joinUrl,
    createClass(name) {
      const cls: ClassRecord = { code: joinCode(), name, createdAt: new Date().toISOString() };
      const instructorSecret = token();
      store.createClass(cls, sha256(instructorSecret));
      return { cls, instructorSecret, joinUrl: joinUrl(cls), instructorUrl: `${publicUrl}/teach/secret/${instructorSecret}` };
    },
    async close() {
      for (const stream of eventStreams) stream.res.end();
      eventStreams.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await queue.stop();
      store.close();
    },
  };
}
