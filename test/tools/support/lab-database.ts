/**
 * A real lab database (sandboxes/database) on 127.0.0.1, port 0, for the tools' functional
 * tests, with the network-map entry that makes it db.cloudpets.test:27017.
 */
import { MongoClient } from 'mongodb';
import { defaultConfig, startDatabase, type RunningDatabase } from '../../../sandboxes/database/index.ts';
import type { MapPorts } from './tool-harness.ts';

export interface LabDatabase {
  db: RunningDatabase;
  port: number;
  /** A direct driver connection for arranging data and checking results. */
  client: MongoClient;
  mapEntry(name?: string, address?: string): MapPorts;
  close(): Promise<void>;
}

export interface LabDatabaseOptions {
  /** security.authorization: enabled, with one admin user created through the localhost exception. */
  auth?: { user: string; pwd: string };
}

export async function startLabDatabase(options: LabDatabaseOptions = {}): Promise<LabDatabase> {
  const config = defaultConfig();
  if (options.auth) config.security.authorization = 'enabled';
  const db = await startDatabase({ config, portOverride: 0 });
  const port = db.listeners[0]!.port;
  if (options.auth) {
    // The localhost exception: with no user yet, a loopback client may create the first one.
    const bootstrap = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`);
    await bootstrap.db('admin').command({ createUser: options.auth.user, pwd: options.auth.pwd, roles: ['root'] });
    await bootstrap.close();
  }
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
    ...(options.auth ? { auth: { username: options.auth.user, password: options.auth.pwd }, authSource: 'admin' } : {}),
    promoteLongs: false,
  });
  await client.connect();
  return {
    db,
    port,
    client,
    mapEntry: (name = 'db.cloudpets.test', address = '203.0.113.10') => ({ [name]: { address, ports: { '27017': { host: '127.0.0.1', port } } } }),
    async close() {
      await client.close();
      await db.close();
    },
  };
}
