/**
 * What Shodan's MongoDB banner shows: product, version (buildInfo, which the server answers
 * without authentication) and whether an anonymous listDatabases works, which is exactly what
 * the 2017 ransom groups looked for.
 */
import { MongoClient, type Document } from 'mongodb';
import type { Resolved } from '../lab-connection/lab-endpoint.ts';

export interface MongoBanner {
  service: 'mongodb';
  product: 'MongoDB';
  version: string;
  maxWireVersion?: number;
  authentication: 'disabled' | 'required';
  databases?: { name: string; sizeOnDisk: number }[];
  totalSize?: number;
  listError?: string;
}

export async function probeMongo(endpoint: Resolved, timeoutMs: number): Promise<MongoBanner | undefined> {
  const client = new MongoClient(`mongodb://${endpoint.host}:${endpoint.port}/?directConnection=true`, {
    appName: 'scan',
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
  });
  try {
    await client.connect();
    const admin = client.db('admin');
    const hello: Document = await admin.command({ hello: 1 }).catch(() => admin.command({ isMaster: 1 }));
    const buildInfo: Document | undefined = await admin.command({ buildInfo: 1 }).catch(() => undefined);
    const banner: MongoBanner = {
      service: 'mongodb',
      product: 'MongoDB',
      version: String(buildInfo?.version ?? 'unknown'),
      maxWireVersion: typeof hello.maxWireVersion === 'number' ? hello.maxWireVersion : undefined,
      authentication: 'required',
    };
    try {
      const list = await admin.command({ listDatabases: 1 });
      banner.authentication = 'disabled';
      banner.databases = (list.databases as Document[]).map((db) => ({ name: String(db.name), sizeOnDisk: Number(db.sizeOnDisk ?? 0) }));
      banner.totalSize = Number(list.totalSize ?? 0);
    } catch (error) {
      const err = error as { code?: number; message?: string };
      if (err.code !== 13 && err.code !== 18) banner.listError = err.message;
    }
    return banner;
  } catch {
    // Not a MongoDB server (or it hung up on the handshake): another probe may know it.
    return undefined;
  } finally {
    await client.close().catch(() => undefined);
  }
}
