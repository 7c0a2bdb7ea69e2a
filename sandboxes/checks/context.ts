/**
 * What a check gets to work with: the lab folder, the running world's network map, and
 * probes that act from the two vantage points of the story (a stranger on the internet, the
 * app on the database host). Probes open real connections; the context closes them all when
 * the run ends, so a failing check never leaves a socket behind.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { MongoClient, Document } from 'mongodb';
import { readNetworkMap, networkMapPath, type NetworkMap } from '../world/network/network-map.ts';
import { readWorldInfo } from '../lab-session/session.ts';
import { seededPath, type WorldInfo } from '../lab-folder/paths.ts';
import { connectMongo, tryCommand, type CommandOutcome, type MongoLogin, type Vantage } from './probes/mongo.ts';
import { httpProbe, type HttpProbe, type HttpResult } from './probes/http.ts';
import { locateDbLog, readDbLog, type LogEntry } from './probes/db-log.ts';

export interface CheckContext {
  labId: string;
  labDir: string;
  network(): NetworkMap;
  world(): WorldInfo | undefined;
  /** `.lab/seeded.json` as the world wrote it (counts of what it seeded). */
  seeded(): Record<string, unknown> | undefined;
  /** A connection from a vantage point; `port` is the simulated port (default: where the database listens). */
  mongo(from: Vantage, login?: MongoLogin, port?: number): Promise<MongoClient>;
  command(from: Vantage, db: string, command: Document, login?: MongoLogin): Promise<CommandOutcome>;
  /** An HTTP request from the internet (the learner's vantage point) to a lab URL. */
  http(probe: HttpProbe): Promise<HttpResult>;
  readText(path: string): string | undefined;
  readBytes(path: string): Buffer | undefined;
  /** Files under a folder of the lab (relative paths), recursively; [] when it does not exist. */
  listFiles(path: string): string[];
  dbLog(): LogEntry[];
  dbLogPath(): string | undefined;
  /** Caches a value for the rest of this run (a login token, the app's credentials). */
  memo<T>(key: string, make: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createCheckContext(labId: string, labDir: string): CheckContext {
  const clients = new Set<MongoClient>();
  const memos = new Map<string, Promise<unknown>>();
  let map: NetworkMap | undefined;
  const full = (path: string): string => join(labDir, path);

  const ctx: CheckContext = {
    labId,
    labDir,
    network() {
      map ??= readNetworkMap(networkMapPath(labDir));
      return map;
    },
    world: () => readWorldInfo(labDir),
    seeded() {
      try {
        return JSON.parse(readFileSync(seededPath(labDir), 'utf8')) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    },
    async mongo(from, login, port) {
      const client = await connectMongo(ctx.network(), { from, login, port });
      clients.add(client);
      return client;
    },
    command: (from, db, command, login) => tryCommand(ctx.network(), { from, login }, db, command),
    http: (probe) => httpProbe(ctx.network(), probe),
    readText(path) {
      try {
        return readFileSync(full(path), 'utf8');
      } catch {
        return undefined;
      }
    },
    readBytes(path) {
      try {
        return readFileSync(full(path));
      } catch {
        return undefined;
      }
    },
    listFiles(path) {
      const root = full(path);
      if (!existsSync(root)) return [];
      const out: string[] = [];
      const walk = (dir: string): void => {
        for (const name of readdirSync(dir)) {
          const child = join(dir, name);
          if (statSync(child).isDirectory()) walk(child);
          else out.push(relative(labDir, child));
        }
      };
      walk(root);
      return out.sort();
    },
    dbLogPath: () => locateDbLog(labDir, readWorldInfo(labDir)?.services),
    dbLog: () => readDbLog(ctx.dbLogPath()),
    memo<T>(key: string, make: () => Promise<T>): Promise<T> {
      if (!memos.has(key)) memos.set(key, make());
      return memos.get(key) as Promise<T>;
    },
    async close() {
      await Promise.all([...clients].map((client) => client.close().catch(() => undefined)));
      clients.clear();
    },
  };
  return ctx;
}
