/**
 * Where a MongoDB tool connects and as whom, from mongosh/mongoexport-style arguments
 * (a mongodb:// string, host:port/db, --host/--port, -u/-p/--authenticationDatabase), and the
 * connection itself: the simulated host:port goes through the lab network map and the driver
 * talks to the loopback listener behind it, with directConnection=true so it never goes
 * looking for other members by their simulated names.
 */
import { MongoClient } from 'mongodb';
import { LabNetworkError, resolveLabEndpoint, type NetworkMap } from './lab-endpoint.ts';
import { UsageError } from '../../command-line/arguments.ts';

export interface MongoTarget {
  host: string;
  port: number;
  /** Database named in the connection string (default "test", as mongosh) */
  db: string;
  dbGiven: boolean;
  username?: string;
  password?: string;
  authSource?: string;
  /** The connection string as shown to the learner (password hidden). */
  display: string;
}

export interface TargetArgs {
  connection?: string;
  host?: string;
  port?: string;
  username?: string;
  password?: string;
  authenticationDatabase?: string;
  db?: string;
}

export function parseMongoTarget(tool: string, args: TargetArgs): MongoTarget {
  let host = 'localhost';
  let port = 27017;
  let db = 'test';
  let dbGiven = false;
  let username: string | undefined;
  let password: string | undefined;
  let authSource: string | undefined;
  const connection = args.connection;

  if (connection && /^mongodb(\+srv)?:\/\//i.test(connection)) {
    if (/^mongodb\+srv:/i.test(connection)) throw new UsageError(`${tool}: mongodb+srv:// needs DNS SRV records, which the lab network does not have; use mongodb://host:port`);
    if (/^mongodb:\/\/[^/]*,/.test(connection)) throw new UsageError(`${tool}: this lab tool connects to one host; remove the extra hosts from '${connection}'`);
    let url: URL;
    try {
      url = new URL(connection);
    } catch {
      throw new UsageError(`${tool}: invalid connection string '${connection}' (expected mongodb://[user:pass@]host[:port][/db][?authSource=db])`);
    }
    host = url.hostname || 'localhost';
    if (url.port) port = Number(url.port);
    const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (path) {
      db = path;
      dbGiven = true;
    }
    if (url.username) username = decodeURIComponent(url.username);
    if (url.password) password = decodeURIComponent(url.password);
    authSource = url.searchParams.get('authSource') ?? undefined;
  } else if (connection) {
    // mongosh's short forms: "host:port/db", "host/db", "host:port", or a bare database name.
    const match = /^([^/:]+)(?::(\d+))?(?:\/(.*))?$/.exec(connection);
    const looksLikeHost = /[.:/]/.test(connection) || connection === 'localhost';
    if (!match || (!looksLikeHost && /[^A-Za-z0-9_-]/.test(connection))) {
      throw new UsageError(`${tool}: cannot read '${connection}' as a connection string (expected mongodb://host:port/db or host:port/db)`);
    }
    if (looksLikeHost) {
      host = match[1]!;
      if (match[2]) port = Number(match[2]);
      if (match[3]) {
        db = match[3];
        dbGiven = true;
      }
    } else {
      db = connection;
      dbGiven = true;
    }
  }
  if (args.host) {
    const [hostPart, portPart] = args.host.split(':');
    host = hostPart!;
    if (portPart) port = Number(portPart);
  }
  if (args.port !== undefined) {
    if (!/^\d+$/.test(args.port)) throw new UsageError(`${tool}: --port must be a number, got '${args.port}'`);
    port = Number(args.port);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${tool}: port must be 1-65535, got ${port}`);
  if (args.db) {
    db = args.db;
    dbGiven = true;
  }
  if (args.username !== undefined) username = args.username;
  if (args.password !== undefined) password = args.password;
  if (args.authenticationDatabase !== undefined) authSource = args.authenticationDatabase;
  if (password !== undefined && username === undefined) throw new UsageError(`${tool}: a password was given without a user name (-u NAME)`);
  if (username !== undefined && password === undefined) throw new UsageError(`${tool}: user '${username}' needs a password: add -p PASSWORD`);

  const query = authSource ? `?authSource=${encodeURIComponent(authSource)}` : '';
  const credentials = username !== undefined ? `${encodeURIComponent(username)}:****@` : '';
  const display = `mongodb://${credentials}${host}:${port}/${dbGiven ? encodeURIComponent(db) : ''}${query || (dbGiven ? '' : '?directConnection=true')}`;
  return { host, port, db, dbGiven, username, password, authSource, display };
}

export interface LabMongoConnection {
  client: MongoClient;
  target: MongoTarget;
}

/** Connects (and authenticates, when credentials were given) or throws a one-line error. */
export async function connectLabMongo(map: NetworkMap, target: MongoTarget, appName: string, timeoutMs = 5000): Promise<LabMongoConnection> {
  const endpoint = resolveLabEndpoint(map, target.host, target.port);
  const client = new MongoClient(`mongodb://${endpoint.host}:${endpoint.port}/?directConnection=true`, {
    appName,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    // mongosh shows int64 values as Long('...'); keep them as Long rather than JS numbers.
    promoteLongs: false,
    ...(target.username !== undefined
      ? { auth: { username: target.username, password: target.password }, authSource: target.authSource ?? (target.dbGiven ? target.db : 'admin') }
      : {}),
  });
  try {
    await client.connect();
    if (target.username !== undefined) {
      // connect() alone may not open an authenticated socket; a ping proves the credentials.
      await client.db(target.authSource ?? 'admin').command({ ping: 1 });
    }
  } catch (error) {
    await client.close().catch(() => undefined);
    throw describeMongoConnectError(error, target);
  }
  return { client, target };
}

export function describeMongoConnectError(error: unknown, target: Pick<MongoTarget, 'host' | 'port'>): Error {
  const where = `${target.host}:${target.port}`;
  const err = error as Error & { code?: number; codeName?: string; cause?: unknown; reason?: unknown };
  if (err?.name === 'MongoServerError') return err;
  const text = collectMessages(err);
  if (/ECONNREFUSED/.test(text)) return new LabNetworkError(`cannot connect to ${where}: connection refused`, 'refused');
  if (/ECONNRESET|closed/i.test(text)) return new LabNetworkError(`cannot connect to ${where}: the server closed the connection`, 'reset');
  if (/timed out|Server selection/i.test(text)) return new LabNetworkError(`cannot connect to ${where}: timed out`, 'timeout');
  return err;
}

function collectMessages(error: unknown, depth = 0): string {
  if (!error || typeof error !== 'object' || depth > 4) return '';
  const err = error as { message?: string; cause?: unknown; reason?: { servers?: Map<string, { error?: unknown }> } };
  let text = err.message ?? '';
  text += ' ' + collectMessages(err.cause, depth + 1);
  for (const server of err.reason?.servers?.values() ?? []) text += ' ' + collectMessages(server.error, depth + 1);
  return text;
}
