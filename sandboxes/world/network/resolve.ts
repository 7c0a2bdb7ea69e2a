/**
 * Name resolution for the lab network, shared by the tools, the preload and the world.
 * A simulated host:port that is not in the map is closed, as a real host would answer
 * (ECONNREFUSED); an unknown name does not resolve (ENOTFOUND). Errors carry the same
 * `code`/`message` shape Node's own net errors have, so tools can print them unchanged.
 */
import { LOCALHOST_NAMES, findSimulatedHost } from './hosts.ts';
import { type NetworkMap, type RealEndpoint, loadNetworkMap } from './network-map.ts';

export type NetworkError = Error & { code: 'ECONNREFUSED' | 'ENOTFOUND'; address?: string; port?: number; hostname?: string };

export interface Resolved extends RealEndpoint {
  /** The simulated name, e.g. db.cloudpets.test (localhost for the app's own loopback). */
  name: string;
  /** The simulated address, e.g. 203.0.113.10. */
  address: string;
  /** The simulated port asked for. */
  simulatedPort: number;
}

export interface ResolveOptions {
  /** The map to use; default: loadNetworkMap() ($CLOUDPETS_NETWORK or the nearest .lab/network.json). */
  map?: NetworkMap;
  /**
   * Who is connecting. 'learner' (default) is "the internet": localhost is the learner's own
   * machine, where no lab service runs. 'app' is the app API on the database host: its
   * localhost is the database's loopback listener (map.appLocal).
   */
  from?: 'learner' | 'app';
}

export function connectionRefused(address: string, port: number): NetworkError {
  const error = new Error(`connect ECONNREFUSED ${address}:${port}`) as NetworkError;
  error.code = 'ECONNREFUSED';
  error.address = address;
  error.port = port;
  return error;
}

export function nameNotFound(name: string): NetworkError {
  const error = new Error(`getaddrinfo ENOTFOUND ${name}`) as NetworkError;
  error.code = 'ENOTFOUND';
  error.hostname = name;
  return error;
}

function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

/** The simulated address a name stands for, or undefined when the lab network has no such name. */
export function lookupAddress(name: string, map?: NetworkMap): string | undefined {
  const wanted = normaliseName(name);
  if (map) {
    for (const [hostName, host] of Object.entries(map.hosts)) {
      if (hostName === wanted || host.address === wanted) return host.address;
    }
  }
  return findSimulatedHost(wanted)?.address;
}

/** True when a name or address belongs to the simulated network (so clients must translate it). */
export function isSimulatedName(name: string, map?: NetworkMap): boolean {
  const wanted = normaliseName(name);
  return wanted.endsWith('.test') || lookupAddress(wanted, map) !== undefined;
}

/**
 * Translate a simulated name (or address) and port into the real loopback listener.
 * Throws a NetworkError: ENOTFOUND for a name the network does not know, ECONNREFUSED for a
 * known host whose port is closed.
 */
export function resolve(name: string, port: number | string, options: ResolveOptions = {}): Resolved {
  const map = options.map ?? loadNetworkMap();
  const wanted = normaliseName(name);
  const portKey = String(Number(port));
  const simulatedPort = Number(port);

  if (LOCALHOST_NAMES.includes(wanted)) {
    if (options.from === 'app') {
      const endpoint = map.appLocal[portKey];
      if (!endpoint) throw connectionRefused('127.0.0.1', simulatedPort);
      return { ...endpoint, name: 'localhost', address: '127.0.0.1', simulatedPort };
    }
    throw connectionRefused('127.0.0.1', simulatedPort);
  }

  for (const [hostName, host] of Object.entries(map.hosts)) {
    if (hostName !== wanted && host.address !== wanted) continue;
    const endpoint = host.ports[portKey];
    if (!endpoint) throw connectionRefused(host.address, simulatedPort);
    return { ...endpoint, name: hostName, address: host.address, simulatedPort };
  }

  // A host of the story that has no open port in this run still exists: it refuses.
  const known = findSimulatedHost(wanted);
  if (known) throw connectionRefused(known.address, simulatedPort);
  throw nameNotFound(name);
}

/** Every open simulated host:port, for scanners: [{ name, address, port, host, port }]. */
export function openPorts(map: NetworkMap = loadNetworkMap()): Resolved[] {
  const open: Resolved[] = [];
  for (const [name, host] of Object.entries(map.hosts)) {
    for (const [port, endpoint] of Object.entries(host.ports)) {
      open.push({ ...endpoint, name, address: host.address, simulatedPort: Number(port) });
    }
  }
  return open.sort((a, b) => a.address.localeCompare(b.address) || a.simulatedPort - b.simulatedPort);
}

export { loadNetworkMap, locateNetworkMap, readNetworkMap, networkMapPath } from './network-map.ts';
export type { NetworkMap, RealEndpoint } from './network-map.ts';
export { SIMULATED_HOSTS, LEARNER_ADDRESS, APP_LOCAL_ADDRESS, DB_HOST, BUCKET_HOST, API_HOST } from './hosts.ts';
