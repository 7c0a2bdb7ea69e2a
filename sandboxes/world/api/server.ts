/**
 * The CloudPets app backend host (api.cloudpets.test): a small JSON API over node:http.
 * The framework here is fixed; what a lab changes lives in the learner's api/app.js (the
 * database connection string, the sign-up password rule, the recording link). The app
 * talks to its database with the official mongodb driver, through its own "localhost".
 *
 * Routes:
 *   GET  /                          service banner
 *   POST /signup  {email,password,name}  -> 201 {token,user}
 *   POST /login   {email,password}       -> 200 {token,user}
 *   GET  /me                        the logged-in parent      (Authorization: Bearer <token>)
 *   GET  /me/children               their children
 *   GET  /me/pets                   their toys
 *   GET  /me/recordings             their recordings, each with `link` from app.recordingLink
 *   GET  /recordings/<id>/link      -> {url} from app.recordingLink (404 when it returns null)
 *   POST /change-password {email,password,newPassword} -> 200 (new password checked by checkPassword)
 *   GET  /.well-known/security.txt  app.securityTxt as text/plain (404 when the app has none)
 *
 * Optional app hooks (later labs): beforeLogin(email) -> {retryAfter} answers 429;
 * afterLogin(email, ok); mustChangePassword(password) -> true answers 403
 * {mustChangePassword: true} after a correct password, without a session.
 */
import bcrypt from 'bcryptjs';
import { type Collection, type Db, MongoClient, ObjectId } from 'mongodb';
import { existsSync, readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DATABASE_NAME } from '../dataset/generate.ts';
import { API_HOST, LEARNER_ADDRESS } from '../network/hosts.ts';
import { servesHostName } from '../network/served-names.ts';
import { type AppModule, AppCodeError, describeAppError, loadApp, parseEnvFile } from './app-loader.ts';
import { type HostTranslator, redactMongoUri, translateMongoUri } from './mongodb-uri.ts';

export interface ApiOptions {
  labDir: string;
  /** Where the app's database hosts really are (the world passes the lab network, from: 'app'). */
  translateHost: HostTranslator;
  /** The bucket owner's presigner, handed to app.recordingLink. */
  presign(key: string, seconds: number): Promise<string>;
  host?: string;
  port?: number;
  /**
   * The simulated internet address of clients on the main listener (the learner's shell), and
   * of a second listener for a parent's home network: the app's login hooks see it as `ip`,
   * so a throttle can tell an attacker from the parent they are trying to lock out.
   */
  clientAddress?: string;
  parentHome?: { address: string };
  /** bcrypt cost for new passwords; 10 as Parse Server used. */
  bcryptCost?: number;
}

export interface RunningApi {
  url: string;
  host: string;
  port: number;
  /** The listener that stands for a parent's home network (when parentHome was asked for). */
  parentHome?: { host: string; port: number; address: string };
  /** Set when api/app.js could not be loaded: every request then answers 500 with this message. */
  loadError?: AppCodeError;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface UserRecord {
  _id: ObjectId;
  email: string;
  name?: string;
  password: string;
  createdAt?: Date;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new HttpError(413, 'request body too large (limit 64 KiB)');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'request body must be a JSON object, e.g. {"email": "...", "password": "..."}');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new HttpError(400, 'request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new HttpError(400, `"${name}" is required (a non-empty string)`);
  return value;
}

function publicUser(user: UserRecord): Record<string, unknown> {
  return { id: user._id.toHexString(), email: user.email, name: user.name ?? null, createdAt: user.createdAt ?? null };
}

/** The app's environment: the world's, plus MONGODB_URI etc. from <lab>/api/.env. */
function appEnvironment(labDir: string): Record<string, string | undefined> {
  const envFile = join(labDir, 'api', '.env');
  const extra = existsSync(envFile) ? parseEnvFile(readFileSync(envFile, 'utf8'), 'api/.env') : {};
  return { ...process.env, ...extra };
}

export async function startApi(options: ApiOptions): Promise<RunningApi> {
  const appFile = join(options.labDir, 'api', 'app.js');
  const cost = options.bcryptCost ?? 10;
  let app: AppModule | undefined;
  let loadError: AppCodeError | undefined;
  let client: MongoClient | undefined;
  let db: Db | undefined;
  try {
    app = loadApp(appFile, options.labDir, appEnvironment(options.labDir));
    const realUri = translateMongoUri(app.mongodbUri, options.translateHost);
    client = new MongoClient(realUri, {
      // One standalone server: do not follow the addresses it reports about itself.
      directConnection: true,
      serverSelectionTimeoutMS: 3000,
      connectTimeoutMS: 3000,
      maxPoolSize: 5,
      appName: 'cloudpets-api',
    });
    // The database name comes from the connection string; default to the app's own.
    db = client.db(new URL(realUri.replace(/^mongodb:/, 'http:')).pathname.slice(1) || DATABASE_NAME);
  } catch (error) {
    loadError = error instanceof AppCodeError ? error : new AppCodeError(`api/app.js: ${(error as Error).message}`, appFile);
    console.error(`api: ${loadError.message}`);
  }

  const sessions = new Map<string, ObjectId>();
  const users = (): Collection<UserRecord> => db!.collection<UserRecord>('users');

  async function callApp<T>(what: () => T | Promise<T>): Promise<T> {
    try {
      return await what();
    } catch (error) {
      throw new HttpError(500, describeAppError(error, appFile, options.labDir).message);
    }
  }

  async function database<T>(what: () => Promise<T>): Promise<T> {
    try {
      return await what();
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw new HttpError(503, `the app cannot use its database (${redactMongoUri(app!.mongodbUri)}): ${(error as Error).message}`);
    }
  }

  async function session(req: IncomingMessage): Promise<UserRecord> {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const userId = token ? sessions.get(token) : undefined;
    if (!userId) throw new HttpError(401, 'log in first: send "Authorization: Bearer <token>" with the token from POST /login');
    const user = await database(() => users().findOne({ _id: userId }));
    if (!user) throw new HttpError(401, 'this account no longer exists');
    return user;
  }

  function login(user: UserRecord): { token: string; user: Record<string, unknown> } {
    const token = randomBytes(24).toString('hex');
    sessions.set(token, user._id);
    return { token, user: publicUser(user) };
  }

  /** What app.recordingLink says for this parent and recording: a URL, or null for "refuse". */
  async function link(recording: Record<string, unknown>, user: UserRecord): Promise<string | null> {
    const forApp = {
      id: String(recording._id),
      userId: String(recording.userId),
      key: String(recording.key),
      url: String(recording.url),
      from: String(recording.from),
      createdAt: recording.createdAt as Date,
    };
    const helpers = { presign: options.presign, user: { id: user._id.toHexString(), email: user.email } };
    const url = await callApp(() => app!.recordingLink(forApp, helpers));
    if (url === null || url === undefined || url === '') return null;
    if (typeof url !== 'string') throw new HttpError(500, 'api/app.js: recordingLink must return the link as a string (or null to refuse)');
    return url;
  }

  async function route(req: IncomingMessage, res: ServerResponse, ip: string): Promise<void> {
    // Against DNS rebinding: a page elsewhere that points its own name at 127.0.0.1 sends that name.
    if (!servesHostName(req.headers.host, API_HOST)) {
      throw new HttpError(421, `this is ${API_HOST.name}; it does not answer to Host "${req.headers.host ?? ''}" (use http://${API_HOST.name}/ in the lab)`);
    }
    const url = new URL(req.url ?? '/', 'http://api');
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (method === 'GET' && path === '/') {
      send(res, 200, { service: 'CloudPets API', routes: ['POST /signup', 'POST /login', 'POST /change-password', 'GET /me', 'GET /me/children', 'GET /me/pets', 'GET /me/recordings', 'GET /recordings/<id>/link'] });
      return;
    }
    if (loadError) throw new HttpError(500, loadError.message);
    if (method === 'POST' && path === '/signup') {
      const body = await readJson(req);
      const email = field(body, 'email').trim().toLowerCase();
      const password = field(body, 'password');
      const name = typeof body.name === 'string' && body.name.trim() !== '' ? body.name.trim() : undefined;
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new HttpError(400, `"${email}" is not an e-mail address`);
      const problem = await callApp(() => app!.checkPassword(password));
      if (problem) throw new HttpError(400, `password refused: ${String(problem)}`);
      if (await database(() => users().findOne({ email }))) throw new HttpError(409, `an account for ${email} already exists: log in instead`);
      const salt = (await bcrypt.genSalt(cost)).replace(/^\$2b\$/, '$2a$');
      const doc: UserRecord = { _id: new ObjectId(), email, ...(name ? { name } : {}), password: await bcrypt.hash(password, salt), createdAt: new Date() };
      await database(() => users().insertOne(doc));
      send(res, 201, login(doc));
      return;
    }
    if (method === 'POST' && (path === '/login' || path === '/change-password')) {
      const body = await readJson(req);
      const email = field(body, 'email').trim().toLowerCase();
      const password = field(body, 'password');
      const newPassword = path === '/change-password' ? field(body, 'newPassword') : undefined;
      const wait = app!.beforeLogin ? await callApp(() => app!.beforeLogin!(email, { ip })) : null;
      if (wait && Number(wait.retryAfter) > 0) {
        const seconds = Math.ceil(Number(wait.retryAfter));
        res.setHeader('Retry-After', String(seconds));
        throw new HttpError(429, `too many failed logins for this account: try again in ${seconds} s`);
      }
      const user = await database(() => users().findOne({ email }));
      const ok = !!user && typeof user.password === 'string' && (await bcrypt.compare(password, user.password));
      if (app!.afterLogin) await callApp(() => app!.afterLogin!(email, ok, { ip }));
      if (!ok || !user) throw new HttpError(401, 'wrong e-mail or password');
      if (newPassword === undefined) {
        if (app!.mustChangePassword && (await callApp(() => app!.mustChangePassword!(password)))) {
          send(res, 403, { error: 'this password must be changed before you can log in: POST /change-password with email, password and newPassword', mustChangePassword: true });
          return;
        }
        send(res, 200, login(user));
        return;
      }
      const problem = await callApp(() => app!.checkPassword(newPassword));
      if (problem) throw new HttpError(400, `new password refused: ${String(problem)}`);
      if (app!.mustChangePassword && (await callApp(() => app!.mustChangePassword!(newPassword)))) {
        throw new HttpError(400, 'new password refused: it would have to be changed again at the next login');
      }
      const salt = (await bcrypt.genSalt(cost)).replace(/^\$2b\$/, '$2a$');
      const hash = await bcrypt.hash(newPassword, salt);
      await database(() => users().updateOne({ _id: user._id }, { $set: { password: hash } }));
      // Sessions opened with the old password end with it.
      for (const [token, id] of sessions) if (id.equals(user._id)) sessions.delete(token);
      send(res, 200, { ok: true, message: 'password changed: log in with the new one' });
      return;
    }
    if (method === 'GET' && path === '/.well-known/security.txt') {
      const source = app!.securityTxt;
      if (source === undefined) throw new HttpError(404, 'no security.txt here');
      const text = await callApp(() => (typeof source === 'function' ? source() : source));
      if (typeof text !== 'string') throw new HttpError(500, 'api/app.js: securityTxt must be (or return) a string');
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (method === 'GET' && path === '/me') {
      send(res, 200, publicUser(await session(req)));
      return;
    }
    if (method === 'GET' && path === '/me/children') {
      const user = await session(req);
      const children = await database(() => db!.collection('children').find({ parentId: user._id }).toArray());
      send(res, 200, children.map((c) => ({ id: String(c._id), nickname: c.nickname, birthday: c.birthday })));
      return;
    }
    if (method === 'GET' && path === '/me/pets') {
      const user = await session(req);
      const pets = await database(() => db!.collection('pets').find({ ownerId: user._id }).toArray());
      send(res, 200, pets.map((p) => ({ id: String(p._id), name: p.name, type: p.type, childId: String(p.childId) })));
      return;
    }
    if (method === 'GET' && path === '/me/recordings') {
      const user = await session(req);
      const recordings = await database(() => db!.collection('recordings').find({ userId: user._id }).sort({ createdAt: -1 }).limit(100).toArray());
      const out = [];
      for (const r of recordings) {
        out.push({ id: String(r._id), from: r.from, petId: String(r.petId), childId: String(r.childId), createdAt: r.createdAt, link: await link(r, user) });
      }
      send(res, 200, out);
      return;
    }
    const linkMatch = /^\/recordings\/([0-9a-f]{24})\/link$/.exec(path);
    if (method === 'GET' && linkMatch) {
      const user = await session(req);
      const recording = await database(() => db!.collection('recordings').findOne({ _id: new ObjectId(linkMatch[1]!) }));
      if (!recording) throw new HttpError(404, 'no such recording');
      // Whose recording it is, is app.js's decision (recordingLink returns null to refuse);
      // a refusal looks the same as a missing recording, so it gives no hint that it exists.
      const url = await link(recording, user);
      if (url === null) throw new HttpError(404, 'no such recording');
      send(res, 200, { url });
      return;
    }
    throw new HttpError(404, `no route ${method} ${path} (GET / lists the routes)`);
  }

  const handler = (ip: string) => (req: IncomingMessage, res: ServerResponse) => {
    route(req, res, ip).catch((error: unknown) => {
      if (error instanceof HttpError) send(res, error.status, { error: error.message });
      else {
        console.error('api: internal error', error);
        send(res, 500, { error: `internal error: ${(error as Error).message}` });
      }
    });
  };
  const host = options.host ?? '127.0.0.1';
  const listen = async (server: Server, port: number): Promise<number> => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  };
  const server: Server = createServer(handler(options.clientAddress ?? LEARNER_ADDRESS));
  const port = await listen(server, options.port ?? 0);
  const homeServer = options.parentHome ? createServer(handler(options.parentHome.address)) : undefined;
  const homePort = homeServer ? await listen(homeServer, 0) : undefined;
  return {
    url: `http://${host}:${port}`,
    host,
    port,
    ...(homePort !== undefined ? { parentHome: { host, port: homePort, address: options.parentHome!.address } } : {}),
    loadError,
    async close() {
      for (const listening of [server, homeServer]) {
        if (!listening) continue;
        await new Promise<void>((resolve) => {
          listening.close(() => resolve());
          listening.closeAllConnections();
        });
      }
      await client?.close(true).catch(() => undefined);
    },
  };
}
