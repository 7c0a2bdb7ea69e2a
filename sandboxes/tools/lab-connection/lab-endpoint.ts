/**
 * The tools' only way onto the lab network: a simulated host:port becomes the real loopback
 * listener behind it (sandboxes/world/network/resolve.ts), and anything else is refused here,
 * before a socket is opened. Tools never connect to an address that is not a loopback
 * listener named by the map, so a learner's own services and the real network are never touched.
 */
import { locateNetworkMap, readNetworkMap, resolve, type NetworkMap, type Resolved } from '../../world/network/resolve.ts';
import type { ToolIO } from '../program/tool-io.ts';

export type { NetworkMap, Resolved };

/** A failure a tool prints as one line: "cannot connect to host:port: connection refused". */
export class LabNetworkError extends Error {
  override name = 'LabNetworkError';
  constructor(
    message: string,
    readonly kind: 'no-map' | 'unknown-host' | 'refused' | 'not-loopback' | 'timeout' | 'reset',
  ) {
    super(message);
  }
}

const LOOPBACK = new Set(['127.0.0.1']);

/**
 * Maps loaded for a tool that runs *on the database host* (dbhost sets
 * CLOUDPETS_NETWORK_FROM=app, as the world's preload reads it): there, localhost is the
 * database's own loopback interface (map.appLocal) instead of the learner's machine.
 */
const onDatabaseHost = new WeakSet<NetworkMap>();

export function loadLabNetwork(io: Pick<ToolIO, 'cwd' | 'env'>): NetworkMap {
  let map: NetworkMap;
  try {
    map = readNetworkMap(locateNetworkMap(io.cwd, io.env as NodeJS.ProcessEnv));
  } catch (error) {
    throw new LabNetworkError((error as Error).message, 'no-map');
  }
  if (io.env.CLOUDPETS_NETWORK_FROM === 'app') onDatabaseHost.add(map);
  return map;
}

/** host:port -> the loopback endpoint, or a LabNetworkError worded like the tools print it. */
export function resolveLabEndpoint(map: NetworkMap, host: string, port: number): Resolved {
  const target = `${host}:${port}`;
  let resolved: Resolved;
  try {
    resolved = resolve(host, port, { map, from: onDatabaseHost.has(map) ? 'app' : 'learner' });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOTFOUND') throw new LabNetworkError(`could not resolve host: ${host} (not a host of the lab network)`, 'unknown-host');
    if (code === 'ECONNREFUSED') throw new LabNetworkError(`cannot connect to ${target}: connection refused`, 'refused');
    throw error;
  }
  if (!LOOPBACK.has(resolved.host)) {
    throw new LabNetworkError(`refusing to connect to ${target}: the lab network map points it at ${resolved.host}, which is not a loopback address`, 'not-loopback');
  }
  return resolved;
}

/** Turns a socket error on the real loopback connection into the simulated host's words. */
