import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, parseDocument, type Node } from 'yaml';
import { ConfigError } from './config-error.ts';
import { OPTIONS, type OptionType } from './schema.ts';

export interface MongodConfig {
  net: { port: number; bindIp: string[]; bindIpAll: boolean };
  security: { authorization: 'enabled' | 'disabled'; javascriptEnabled: boolean };
  /** Absolute, or undefined for a memory-only server (tests, benchmarks). */
  storage: { dbPath?: string };
  systemLog: { destination?: 'file' | 'syslog'; path?: string; logAppend: boolean; verbosity: number };
  operationProfiling: { slowOpThresholdMs: number };
  /** The options as written, for getCmdLineOpts. */
  parsed: Record<string, unknown>;
  configPath?: string;
}

export function defaultConfig(): MongodConfig {
  return {
    net: { port: 27017, bindIp: ['127.0.0.1'], bindIpAll: false },
    security: { authorization: 'disabled', javascriptEnabled: true },
    storage: {},
    systemLog: { logAppend: false, verbosity: 0 },
    operationProfiling: { slowOpThresholdMs: 100 },
    parsed: {},
  };
}

/** Reads and checks a mongod.conf; throws ConfigError naming the key or line. */
export function loadMongodConfig(path: string): MongodConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Error reading config file: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (error as Error).message} (${path})`);
  }
  const config = parseMongodConfig(text, dirname(resolve(path)));
  config.configPath = resolve(path);
  return config;
}

/** Parses mongod.conf text; relative paths resolve against `baseDir` (the file's folder). */
export function parseMongodConfig(text: string, baseDir: string): MongodConfig {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : text.slice(0, offset).split('\n').length);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line ?? lineOf(first.pos[0]);
    const col = first.linePos?.[0]?.col;
    throw new ConfigError(
      `Error parsing YAML config file: error at line ${line}${col ? `, column ${col}` : ''}: ${first.message.split('\n')[0]}`,
      undefined,
      line,
    );
  }
  const config = defaultConfig();
  const root = doc.contents;
  if (root === null || root === undefined) return withPaths(config, baseDir);
  if (!isMap(root)) throw new ConfigError('Error parsing YAML config file: the top level must be a map of options (for example "net:")', undefined, 1);

  const flat: Record<string, { value: unknown; node: Node }> = {};
  const walk = (node: Node, prefix: string) => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const keyNode = pair.key as Node;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const full = prefix ? `${prefix}.${key}` : key;
      const valueNode = pair.value as Node | null;
      const isSection = valueNode && isMap(valueNode) && !(full in OPTIONS);
      if (isSection && Object.keys(OPTIONS).some((o) => o.startsWith(`${full}.`))) {
        walk(valueNode, full);
      } else if (!(full in OPTIONS)) {
        const line = lineOf(keyNode.range?.[0]);
        throw new ConfigError(`Unrecognized option: ${full} (line ${line})`, full, line);
      } else {
        flat[full] = { value: valueNode && isScalar(valueNode) ? valueNode.value : valueNode?.toJSON(), node: (valueNode ?? keyNode) as Node };
      }
    }
  };
  walk(root, '');

  const parsed: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  for (const [key, { value, node }] of Object.entries(flat)) {
    const line = lineOf(node.range?.[0]);
    values[key] = coerce(key, OPTIONS[key]!, value, line);
    setPath(parsed, key, values[key]);
  }

  const get = <T>(key: string, fallback: T): T => (key in values ? (values[key] as T) : fallback);
  config.net.port = get('net.port', config.net.port);
  if (config.net.port < 0 || config.net.port > 65535) {
    throw new ConfigError(`Error parsing option "net.port": port number ${config.net.port} is out of range 0..65535`, 'net.port', lineOf(flat['net.port']?.node.range?.[0]));
  }
  config.net.bindIp = get('net.bindIp', config.net.bindIp);
  config.net.bindIpAll = get('net.bindIpAll', config.net.bindIpAll);
  if ('net.bindIp' in values && config.net.bindIpAll) {
    throw new ConfigError('net.bindIp and net.bindIpAll are mutually exclusive: keep only one of them', 'net.bindIpAll');
  }
  config.security.authorization = get('security.authorization', config.security.authorization);
  config.security.javascriptEnabled = get('security.javascriptEnabled', config.security.javascriptEnabled);
  const dbPath = get<string | undefined>('storage.dbPath', undefined);
  if (dbPath !== undefined) config.storage.dbPath = dbPath;
  config.systemLog.destination = get('systemLog.destination', undefined);
  config.systemLog.path = get('systemLog.path', undefined);
  config.systemLog.logAppend = get('systemLog.logAppend', false);
  config.systemLog.verbosity = get('systemLog.verbosity', 0);
  if (config.systemLog.destination === 'file' && !config.systemLog.path) {
    throw new ConfigError('systemLog.path is required when systemLog.destination is "file"', 'systemLog.path');
  }
  config.operationProfiling.slowOpThresholdMs = get('operationProfiling.slowOpThresholdMs', 100);
  config.parsed = parsed;
  return withPaths(config, baseDir);
}

function withPaths(config: MongodConfig, baseDir: string): MongodConfig {
  if (config.storage.dbPath && !isAbsolute(config.storage.dbPath)) config.storage.dbPath = resolve(baseDir, config.storage.dbPath);
  if (config.systemLog.path && !isAbsolute(config.systemLog.path)) config.systemLog.path = resolve(baseDir, config.systemLog.path);
  return config;
}

function coerce(key: string, type: OptionType, value: unknown, line: number | undefined): unknown {
  const where = line ? ` (line ${line})` : '';
  const fail = (expected: string) =>
    new ConfigError(`Error parsing option "${key}" as ${expected} in: ${JSON.stringify(value)}${where}`, key, line);
  if (type === 'int') {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    throw fail('int');
  }
  if (type === 'bool') {
    if (typeof value === 'boolean') return value;
    throw fail('bool (true or false)');
  }
  if (type === 'string') {
    if (typeof value === 'string' && value.length > 0) return value;
    throw fail('string');
  }
  if (type === 'string-list') {
    if (typeof value === 'string' && value.trim().length > 0) return value.split(',').map((s) => s.trim()).filter(Boolean);
    throw fail('a comma-separated list of addresses');
  }
  if (typeof value === 'string' && type.oneOf.includes(value)) return value;
  throw new ConfigError(`Error parsing option "${key}": ${JSON.stringify(value)} is not one of ${type.oneOf.map((v) => `"${v}"`).join(', ')}${where}`, key, line);
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let at = target;
  for (const part of parts.slice(0, -1)) {
    at[part] ??= {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts.at(-1)!] = value;
}
