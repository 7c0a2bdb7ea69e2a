/**
 * Database probes for the checks, through the official MongoDB driver so that "the attack
 * fails" means what it means against a real mongod. Vantage points, as in the story:
 * "internet" connects to db.cloudpets.test's public listener (the server logs 198.51.100.23,
 * the learner's address), "app" to the database host's own localhost listener (logged as
 * 127.0.0.1), and "stranger" is another internet host (192.0.2.146) the labs' scripted
 * attacks come from.
 */
import { MongoClient, MongoServerError, type Document } from 'mongodb';
import { resolve, type NetworkMap } from '../../world/network/resolve.ts';

export type Vantage = 'internet' | 'app' | 'stranger';

export interface MongoLogin {
  username: string;
  password: string;
  authSource?: string;
}

export interface MongoProbeOptions {
  from: Vantage;
  login?: MongoLogin;
  /** Simulated port; default 27017 (mongod.conf may move it, the world's map says where). */
  port?: number;
  timeoutMs?: number;
  /**
   * The client name the server logs. Checks announce themselves, so a learner reading the log
   * can tell them apart from their own commands; a replayed attacker does not (null: the
   * driver's own metadata only, as a stranger's script would send).
   */
  appName?: string | null;
}

/** Why a probe could not even talk to the server, in words for a reason line. */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
  constructor(
    message: string,
    readonly kind: 'refused' | 'timeout' | 'auth',
  ) {
    super(message);
  }
}

export function databasePort(map: NetworkMap, from: Vantage): number {
  if (from === 'app') {
    const ports = Object.keys(map.appLocal);
    return ports.includes('27017') ? 27017 : Number(ports[0] ?? 27017);
  }
  const ports = Object.keys(map.hosts['db.cloudpets.test']?.ports ?? {});
  return ports.includes('27017') ? 27017 : Number(ports[0] ?? 27017);
}

export async function connectMongo(map: NetworkMap, options: MongoProbeOptions): Promise<MongoClient> {
  const port = options.port ?? databasePort(map, options.from);
  let endpoint;
  try {
    if (options.from === 'stranger') {
      // The stranger's own listener exists only while the database is on the public interface.
      endpoint = map.stranger?.[String(port)];
      if (!endpoint) throw new Error('refused');
    } else {
      endpoint = options.from === 'app' ? resolve('localhost', port, { map, from: 'app' }) : resolve('db.cloudpets.test', port, { map, from: 'learner' });
    }
  } catch (error) {
    const where = options.from === 'app' ? `localhost:${port} on the database host` : `db.cloudpets.test:${port}`;
    throw new UnreachableError(`connection to ${where} refused (nothing listens there)`, 'refused');
  }
  const timeout = options.timeoutMs ?? 4000;
  const client = new MongoClient(`mongodb://${endpoint.host}:${endpoint.port}/?directConnection=true`, {
    serverSelectionTimeoutMS: timeout,
    connectTimeoutMS: timeout,
    socketTimeoutMS: timeout * 2,
    ...(options.appName === null ? {} : { appName: options.appName ?? 'cloudpets-checks' }),
    monitorCommands: false,
    retryReads: false,
    retryWrites: false,
    ...(options.login
      ? { auth: { username: options.login.username, password: options.login.password }, authSource: options.login.authSource ?? 'admin' }
      : {}),
  });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    const message = (error as Error).message;
    if (error instanceof MongoServerError && error.code === 18) throw new UnreachableError(`login as "${options.login?.username}" failed: ${message}`, 'auth');
    if (/Authentication failed|auth/i.test(message) && options.login) throw new UnreachableError(`login as "${options.login.username}" failed: ${message}`, 'auth');
    throw new UnreachableError(`could not talk to the database: ${message}`, 'timeout');
  }
  return client;
}

export type CommandOutcome = { ok: true; reply: Document } | { ok: false; code?: number; codeName?: string; message: string; unreachable?: boolean };

/** Runs one command and reports what the server said, never throws. */
export async function tryCommand(map: NetworkMap, options: MongoProbeOptions, db: string, command: Document): Promise<CommandOutcome> {
  let client: MongoClient;
  try {
    client = await connectMongo(map, options);
  } catch (error) {
    return { ok: false, message: (error as Error).message, unreachable: (error as UnreachableError).kind !== 'auth' };
  }
  try {
    return await runOn(client, db, command);
  } finally {
    await client.close().catch(() => undefined);
  }
}

export async function runOn(client: MongoClient, db: string, command: Document): Promise<CommandOutcome> {
  try {
    const reply = await client.db(db).command(command);
    return { ok: true, reply };
  } catch (error) {
    if (error instanceof MongoServerError) return { ok: false, code: Number(error.code), codeName: error.codeName, message: error.message };
    return { ok: false, message: (error as Error).message, unreachable: true };
  }
}

/** Fetches every document of a collection (find + getMore) through an open client. */
