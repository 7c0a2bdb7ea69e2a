/**
 * Reads the database's structured JSON log (mongod's format: one object per line with t, s,
 * c, id, ctx, msg, attr) and answers the questions the attack and detection labs ask: who
 * connected from where, and which commands each connection ran, authenticated or not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface LogEntry {
  t?: { $date?: string } | string;
  s?: string;
  c?: string;
  id?: number;
  ctx?: string;
  msg?: string;
  attr?: Record<string, unknown>;
}

export interface ConnectionRecord {
  ctx: string;
  remote: string;
  address: string;
  acceptedAt?: string;
  /** users this connection authenticated as */
  users: string[];
  /** The client's application name from its handshake metadata (the scanner says "scan"). */
  appName?: string;
  commands: CommandRecord[];
}

export interface CommandRecord {
  at?: string;
  name: string;
  db?: string;
  collection?: string;
  ns?: string;
  /** The user the connection was logged in as when it ran this, if any. */
  user?: string;
  /** Whether the server refused it (an error code in the log entry). */
  errorCode?: number;
}

export function entryTime(entry: LogEntry): string | undefined {
  if (typeof entry.t === 'string') return entry.t;
  return entry.t?.$date;
}

export function parseLog(text: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    try {
      entries.push(JSON.parse(trimmed) as LogEntry);
    } catch {
      // a half-written last line while the server is still writing
    }
  }
  return entries;
}

/** Where the database writes its log: world.json's report, else mongod.conf systemLog.path. */
export function locateDbLog(labDir: string, services?: Record<string, unknown>): string | undefined {
  const fromWorld = findString(services, ['db', 'logPath']) ?? findString(services, ['database', 'logPath']);
  if (fromWorld && existsSync(fromWorld)) return fromWorld;
  try {
    const conf = parseYaml(readFileSync(join(labDir, 'mongod.conf'), 'utf8')) as { systemLog?: { path?: string } } | null;
    const path = conf?.systemLog?.path;
    if (typeof path === 'string') {
      const full = isAbsolute(path) ? path : join(labDir, path);
      if (existsSync(full)) return full;
    }
  } catch {
    // a broken mongod.conf is reported by the files check
  }
  for (const guess of ['.lab/mongod.log', 'log/mongod.log', 'logs/mongod.log', 'mongod.log']) {
    if (existsSync(join(labDir, guess))) return join(labDir, guess);
  }
  return undefined;
}

function findString(value: unknown, path: string[]): string | undefined {
  let current: unknown = value;
  for (const key of path) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'string' ? current : undefined;
}

export function readDbLog(path: string | undefined): LogEntry[] {
  if (!path || !existsSync(path)) return [];
  return parseLog(readFileSync(path, 'utf8'));
}

const addressOf = (remote: string): string => remote.replace(/^\[?([^\]]*?)\]?:\d+$/, '$1');

/** Groups the log by connection (conn<N>), with the remote address each connection came from. */
export function connections(entries: LogEntry[]): ConnectionRecord[] {
  const byCtx = new Map<string, ConnectionRecord>();
  const order: ConnectionRecord[] = [];
  for (const entry of entries) {
    const attr = entry.attr ?? {};
    if (entry.msg === 'Connection accepted' && typeof attr.remote === 'string') {
      const ctx = attr.connectionId !== undefined ? `conn${String(attr.connectionId)}` : undefined;
      if (!ctx) continue;
      const record: ConnectionRecord = { ctx, remote: attr.remote, address: addressOf(attr.remote), acceptedAt: entryTime(entry), users: [], commands: [] };
      byCtx.set(ctx, record);
      order.push(record);
      continue;
    }
    const ctx = entry.ctx;
    if (!ctx) continue;
    let record = byCtx.get(ctx);
    if (!record && typeof attr.remote === 'string') {
      record = { ctx, remote: attr.remote, address: addressOf(attr.remote), users: [], commands: [] };
      byCtx.set(ctx, record);
      order.push(record);
    }
    if (!record) continue;
    if (entry.msg === 'client metadata') {
      const doc = attr.doc as { application?: { name?: unknown } } | undefined;
      if (typeof doc?.application?.name === 'string') record.appName = doc.application.name;
      continue;
    }
    if (/^Authentication succeeded|^Successfully authenticated/.test(entry.msg ?? '')) {
      const user = typeof attr.user === 'string' ? attr.user : typeof attr.principalName === 'string' ? attr.principalName : undefined;
      if (user) record.users.push(user);
      continue;
    }
    const command = commandOf(entry);
    if (command) record.commands.push({ ...command, user: record.users.at(-1) });
  }
  return order;
}

// What every client sends on connecting (mongosh adds its start-up probes): not reading data.
const HANDSHAKE = new Set(['hello', 'ismaster', 'isMaster', 'saslStart', 'saslContinue', 'ping', 'endSessions', 'buildInfo', 'buildinfo', 'getnonce', 'getLog', 'getParameter', 'getCmdLineOpts', 'connectionStatus', 'atlasVersion', 'getFreeMonitoringStatus', 'logout']);

/** A command entry in mongod's log ("Slow query" with attr.command, or our server's command line). */
function commandOf(entry: LogEntry): CommandRecord | undefined {
  const attr = entry.attr ?? {};
  const command = attr.command as Record<string, unknown> | undefined;
  let name = typeof attr.commandName === 'string' ? attr.commandName : undefined;
  if (!name && command && typeof command === 'object') name = Object.keys(command)[0];
  if (!name) return undefined;
  const ns = typeof attr.ns === 'string' ? attr.ns : undefined;
  let db = ns?.split('.')[0] ?? (command && typeof command.$db === 'string' ? command.$db : undefined);
  let collection = ns && ns.includes('.') ? ns.slice(ns.indexOf('.') + 1) : undefined;
  if (!collection && command && typeof command[name] === 'string') collection = command[name] as string;
  if (collection?.startsWith('$cmd')) collection = undefined;
  if (!db && typeof attr.db === 'string') db = attr.db;
  const errorCode = typeof attr.errCode === 'number' ? attr.errCode : typeof attr.code === 'number' ? attr.code : undefined;
  return { at: entryTime(entry), name, db, collection, ns, errorCode };
}

export function isHandshake(name: string): boolean {
  return HANDSHAKE.has(name);
}

/** Commands a given address ran without being logged in, that the server answered. */
export function anonymousCommandsFrom(entries: LogEntry[], address: string): CommandRecord[] {
  return connections(entries)
    .filter((c) => c.address === address)
    .flatMap((c) => c.commands)
    .filter((c) => !c.user && !isHandshake(c.name) && c.errorCode === undefined);
}
