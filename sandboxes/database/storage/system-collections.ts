import { Long } from 'bson';
import type { Store } from './store.ts';
import { SERVER_VERSION, versionArray } from '../version.ts';

/**
 * What a fresh mongod already has, so `show dbs` looks the same as on the real thing:
 * admin.system.version (the feature compatibility version) and local.startup_log (one
 * document per start).
 */
export function ensureSystemCollections(store: Store, cmdLine: Record<string, unknown>, serverVersion: string = SERVER_VERSION): void {
  const version = store.ensureCollection('admin', 'system.version');
  if (!version.getById('featureCompatibilityVersion')) store.insert(version, { _id: 'featureCompatibilityVersion', version: '7.0' });
  const startupLog = store.ensureCollection('local', 'startup_log', { capped: true, size: 10 * 1024 * 1024 });
  const now = new Date();
  store.insert(startupLog, {
    _id: `db.cloudpets.test-${now.getTime()}`,
    hostname: 'db.cloudpets.test',
    startTime: now,
    startTimeLocal: now.toString(),
    cmdLine,
    pid: Long.fromNumber(process.pid),
    buildinfo: { version: serverVersion, versionArray: versionArray(serverVersion) },
  });
  store.commit();
}
