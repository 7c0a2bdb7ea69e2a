/**
 * The hosts map the world writes to `<lab>/.lab/network.json` and every client reads: which
 * simulated host:port is open, and the real loopback listener behind it. The JSON shape is
 * fixed by docs/architecture.md ("The lab network").
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';

export interface RealEndpoint {
  host: string;
  port: number;
}

export interface NetworkMapHost {
  address: string;
  /** Keyed by the simulated port as a decimal string. */
  ports: Record<string, RealEndpoint>;
}

export interface NetworkMap {
  hosts: Record<string, NetworkMapHost>;
  /** Where the app's own localhost:<port> lands (the database's loopback listener). */
  appLocal: Record<string, RealEndpoint>;
  /**
   * Where db.cloudpets.test:<port> lands for the other internet host (STRANGER_ADDRESS), used
   * by the labs' scripted attacks only; absent while the database is not on the public interface.
   */
  stranger?: Record<string, RealEndpoint>;
  /**
   * Where api.cloudpets.test:<port> lands for a parent at home (PARENT_HOME_ADDRESS), used by
   * the checks only: the API tells its login hooks which address a request came from.
   */
  parentHome?: Record<string, RealEndpoint>;
}

export class NetworkMapError extends Error {
  override name = 'NetworkMapError';
}

/** `<lab>/.lab/network.json` */
export function networkMapPath(labDir: string): string {
  return join(labDir, '.lab', 'network.json');
}

export function emptyNetworkMap(): NetworkMap {
  return { hosts: {}, appLocal: {} };
}

/** Writes atomically (temp file + rename) so a reader never sees half a map. */
export function writeNetworkMap(path: string, map: NetworkMap): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(map, null, 2) + '\n');
  renameSync(temp, path);
}

export function readNetworkMap(path: string): NetworkMap {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new NetworkMapError(`no lab network map at ${path}: start the world first (npm run world)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new NetworkMapError(`${path} is not valid JSON (${(error as Error).message}); restart the world to rewrite it`);
  }
  return validateNetworkMap(parsed, path);
}

function validateEndpoint(value: unknown, where: string): RealEndpoint {
  const endpoint = value as RealEndpoint;
  if (!endpoint || typeof endpoint.host !== 'string' || !Number.isInteger(endpoint.port) || endpoint.port <= 0 || endpoint.port > 65535) {
    throw new NetworkMapError(`${where} must be {"host": string, "port": 1-65535}`);
  }
  return { host: endpoint.host, port: endpoint.port };
}

export function validateNetworkMap(value: unknown, source = 'network map'): NetworkMap {
  const raw = value as Partial<NetworkMap> | null;
  if (!raw || typeof raw !== 'object' || typeof raw.hosts !== 'object' || raw.hosts === null) {
    throw new NetworkMapError(`${source}: expected an object with "hosts" and "appLocal"`);
  }
  const map = emptyNetworkMap();
  for (const [name, host] of Object.entries(raw.hosts)) {
    if (!host || typeof host.address !== 'string' || typeof host.ports !== 'object') {
      throw new NetworkMapError(`${source}: hosts["${name}"] must have "address" and "ports"`);
    }
    const ports: Record<string, RealEndpoint> = {};
    for (const [port, endpoint] of Object.entries(host.ports ?? {})) {
      ports[port] = validateEndpoint(endpoint, `${source}: hosts["${name}"].ports["${port}"]`);
    }
    map.hosts[name.toLowerCase()] = { address: host.address, ports };
  }
  for (const [port, endpoint] of Object.entries(raw.appLocal ?? {})) {
    map.appLocal[port] = validateEndpoint(endpoint, `${source}: appLocal["${port}"]`);
  }
  for (const [port, endpoint] of Object.entries(raw.stranger ?? {})) {
    (map.stranger ??= {})[port] = validateEndpoint(endpoint, `${source}: stranger["${port}"]`);
  }
  for (const [port, endpoint] of Object.entries(raw.parentHome ?? {})) {
    (map.parentHome ??= {})[port] = validateEndpoint(endpoint, `${source}: parentHome["${port}"]`);
  }
  return map;
}

/**
 * Where a client finds the map: $CLOUDPETS_NETWORK (set in the lab shell), else the nearest
 * `.lab/network.json` from the working directory upwards (a learner may cd into a subfolder).
 */
export function locateNetworkMap(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLOUDPETS_NETWORK) return resolvePath(env.CLOUDPETS_NETWORK);
  let dir = resolvePath(cwd);
  for (;;) {
    const candidate = networkMapPath(dir);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new NetworkMapError(
    `no lab network found: set CLOUDPETS_NETWORK to a network.json, or run inside a lab folder whose world is running (npm run world)`,
  );
}

export function loadNetworkMap(pathOrLabDir?: string): NetworkMap {
  if (!pathOrLabDir) return readNetworkMap(locateNetworkMap());
  const path = pathOrLabDir.endsWith('.json') ? pathOrLabDir : networkMapPath(pathOrLabDir);
  return readNetworkMap(path);
}
