/**
 * The lab world: CloudPets' database, recordings bucket and app API on the simulated lab
 * network (docs/architecture.md, "World contract"). Everything listens on 127.0.0.1, on
 * free ports; `<lab>/.lab/network.json` says which simulated host:port stands for which.
 *
 * The world seeds the database and the bucket the first time a lab folder is used and
 * records it in `.lab/seeded.json`; later starts never seed again, so whatever a learner (or
 * a ransom bot) deleted stays deleted and the checks can see it.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningDatabase, startDatabase } from '../database/index.ts';
import { type RunningApi, startApi } from './api/server.ts';
import { seedBucket } from './bucket/object-store.ts';
import { type RunningBucket, startBucket } from './bucket/server.ts';
import { COLLECTIONS, DATABASE_NAME, type DatasetCounts, type DatasetOptions, checkOptions, datasetCounts, documents, totalRecordings } from './dataset/generate.ts';
import { worldVariants } from './dataset/world-variants.ts';
import { SimulatedDatabaseNetwork } from './network/database-network.ts';
import { API_HOST, BUCKET_HOST, DB_HOST, LEARNER_ADDRESS, PARENT_HOME_ADDRESS } from './network/hosts.ts';
import { type NetworkMap, emptyNetworkMap, networkMapPath, writeNetworkMap } from './network/network-map.ts';
import { resolve } from './network/resolve.ts';

export interface WorldOptions {
  /** The lab's folder: mongod.conf, bucket/, api/, and .lab/ for runtime files. */
  labDir: string;
  /** Dataset seed and size for the first start (later starts keep what .lab/seeded.json says). */
  seed?: number;
  users?: number;
}

export interface SeededRecord {
  dataset: DatasetOptions;
  counts: DatasetCounts;
  bucket: { objects: number };
  seededAt: string;
}

export interface WorldAddresses {
  db: string;
  bucket: string;
  api: string;
  network: string;
  labDir: string;
}

// A type alias (not an interface) so it also fits Record<string, unknown> for callers that pass it around generically.
export type RunningWorld = {
  labDir: string;
  network: NetworkMap;
  networkPath: string;
  db: RunningDatabase;
  bucket: RunningBucket;
  api: RunningApi;
  seeded: SeededRecord;
  /** What `npm run world` prints: real loopback addresses of each service. */
  addresses: WorldAddresses;
  /** Problems that did not stop the world (a broken api/app.js, a refused bucket policy). */
  warnings: string[];
  close(): Promise<void>;
};

export class WorldError extends Error {
  override name = 'WorldError';
}

export function seededPath(labDir: string): string {
  return join(labDir, '.lab', 'seeded.json');
}

export function readSeeded(labDir: string): SeededRecord | undefined {
  const path = seededPath(labDir);
  if (!existsSync(path)) return undefined;
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as SeededRecord;
    checkOptions(raw.dataset);
    return raw;
  } catch (error) {
    throw new WorldError(`${path} is damaged (${(error as Error).message}). The world never re-seeds on its own: reset the lab to start over with fresh data`);
  }
}

const STARTING_DIR = fileURLToPath(new URL('./starting/', import.meta.url));
const STARTING_APP = fileURLToPath(new URL('./api/starting-app.js', import.meta.url));

/** Copy the 2016 starting files into a lab folder (files that already exist are kept). */
export function initLabFolder(labDir: string): void {
  const copyTree = (from: string, to: string): void => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      if (entry.name === 'README.md') continue;
      const source = join(from, entry.name);
      const target = join(to, entry.name);
      if (entry.isDirectory()) copyTree(source, target);
      else if (!existsSync(target)) copyFileSync(source, target);
    }
  };
  copyTree(STARTING_DIR, labDir);
  const app = join(labDir, 'api', 'app.js');
  if (!existsSync(app)) copyFileSync(STARTING_APP, app);
}

function seedDatabase(db: RunningDatabase, dataset: DatasetOptions): void {
  for (const name of COLLECTIONS) {
    const coll = db.store.bulkLoad(DATABASE_NAME, name, documents(dataset, name), { checkpoint: false });
    if (name === 'users') db.store.addIndex(coll, { v: 2, key: { email: 1 }, name: 'email_1', unique: true });
  }
  db.store.checkpoint();
}

export async function startWorld(options: WorldOptions): Promise<RunningWorld> {
  const labDir = options.labDir;
  const configPath = join(labDir, 'mongod.conf');
  if (!existsSync(configPath)) throw new WorldError(`${configPath} is missing: restore it from the lab's starting files (or reset the lab)`);
  mkdirSync(join(labDir, '.lab'), { recursive: true });
  const warnings: string[] = [];

  let seeded = readSeeded(labDir);
  const dataset = seeded?.dataset ?? checkOptions({ seed: options.seed, users: options.users });
  if (seeded && ((options.seed !== undefined && options.seed !== seeded.dataset.seed) || (options.users !== undefined && options.users !== seeded.dataset.users))) {
    warnings.push(`this lab was seeded with seed ${seeded.dataset.seed} and ${seeded.dataset.users} users; keeping that data (reset the lab for a different size)`);
  }

  // The learner seed also picks the server's reported version and the thief's address.
  const variants = worldVariants(dataset.seed);
  const dbNetwork = new SimulatedDatabaseNetwork(variants.thiefAddress);
  const db = await startDatabase({ configPath, network: dbNetwork, version: variants.serverVersion });
  const started: { close(): Promise<void> }[] = [db];
  const stopAll = async (): Promise<void> => {
    for (const service of started.reverse()) await service.close().catch(() => undefined);
  };
  try {
    if (!seeded) {
      seedDatabase(db, dataset);
      seedBucket(labDir, dataset);
      seeded = { dataset, counts: datasetCounts(dataset), bucket: { objects: totalRecordings(dataset.users) }, seededAt: new Date().toISOString() };
      writeFileSync(seededPath(labDir), JSON.stringify(seeded, null, 2) + '\n');
    }

    const bucket = await startBucket({ labDir });
    started.push(bucket);
    warnings.push(...bucket.config.notes);

    const network = emptyNetworkMap();
    dbNetwork.publish(network, db.listeners);
    network.hosts[BUCKET_HOST.name] = { address: BUCKET_HOST.address, ports: { [BUCKET_HOST.defaultPort]: { host: bucket.host, port: bucket.port } } };
    const api = await startApi({
      labDir,
      translateHost: (host, port) => resolve(host, port, { map: network, from: 'app' }),
      presign: (key, seconds) => bucket.presign(key, seconds),
      clientAddress: LEARNER_ADDRESS,
      parentHome: { address: PARENT_HOME_ADDRESS },
    });
    started.push(api);
    if (api.loadError) warnings.push(api.loadError.message);
    network.hosts[API_HOST.name] = { address: API_HOST.address, ports: { [API_HOST.defaultPort]: { host: api.host, port: api.port } } };
    if (api.parentHome) network.parentHome = { [API_HOST.defaultPort]: { host: api.parentHome.host, port: api.parentHome.port } };
    const networkPath = networkMapPath(labDir);
    writeNetworkMap(networkPath, network);

    const publicDb = db.listeners.find((l) => l.address === DB_HOST.address) ?? db.listeners[0]!;
    let closed = false;
    return {
      labDir,
      network,
      networkPath,
      db,
      bucket,
      api,
      seeded,
      warnings,
      addresses: { db: `mongodb://${publicDb.host}:${publicDb.port}`, bucket: bucket.url, api: api.url, network: networkPath, labDir },
      async close() {
        if (closed) return;
        closed = true;
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export { DATABASE_NAME } from './dataset/generate.ts';
export { resolve } from './network/resolve.ts';
export type { NetworkMap } from './network/network-map.ts';
