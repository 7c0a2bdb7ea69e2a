import { ConfigError } from './config/config-error.ts';
import { defaultConfig, loadMongodConfig, parseMongodConfig, type MongodConfig } from './config/mongod-config.ts';
import { MongodLog } from './log/mongod-log.ts';
import { loopbackNetwork, type DatabaseNetwork } from './network.ts';
import { DatabaseServer, type Listener } from './server.ts';
import { Store } from './storage/store.ts';
import { StorageError } from './storage/record-file.ts';
import { ensureSystemCollections } from './storage/system-collections.ts';

export { ConfigError, StorageError, defaultConfig, loadMongodConfig, parseMongodConfig, loopbackNetwork };
export type { DatabaseNetwork, MongodConfig, Listener };
export type { ListenTarget } from './network.ts';
export { Store } from './storage/store.ts';

export interface StartDatabaseOptions {
  /** A mongod.conf; relative paths in it resolve against its folder. */
  configPath?: string;
  /** Or an already parsed config. */
  config?: MongodConfig;
  /** --port; 0 = a free port. */
  portOverride?: number;
  /** Default: loopback only, peers are real addresses. */
  network?: DatabaseNetwork;
  /** Also receives every log line (the CLI prints them on stderr when no systemLog.path is set). */
  logSink?: (line: string) => void;
  /** What getCmdLineOpts reports as argv. */
  argv?: string[];
  /** The version the server reports (default SERVER_VERSION); lab worlds vary it per learner seed. */
  version?: string;
}

export interface RunningDatabase {
  listeners: { address: string; host: string; port: number }[];
  /** mongodb://host:port of the first listener. */
  uri: string;
  logPath?: string;
  /** The log, for tests and checks that read lines without a file. */
  log: MongodLog;
  /** Direct access to the data (seeding, benchmarks). Changes made here bypass the wire. */
  store: Store;
  close(): Promise<void>;
}

/**
 * Starts the lab's mongod: reads the config (ConfigError before anything touches the data
 * directory), opens the data under storage.dbPath (StorageError if it cannot be read; the
 * files are left as they are), writes mongod's startup log, and listens per interface.
 */
export async function startDatabase(options: StartDatabaseOptions = {}): Promise<RunningDatabase> {
  const config = options.config ?? (options.configPath ? loadMongodConfig(options.configPath) : defaultConfig());
  const log = new MongodLog({
    path: config.systemLog.destination === 'file' ? config.systemLog.path : undefined,
    logAppend: config.systemLog.logAppend,
    // Commands are logged at D1 (see dispatch.ts); the lab keeps them visible.
    verbosity: Math.max(1, config.systemLog.verbosity),
    sink: options.logSink,
  });
  const port = options.portOverride ?? config.net.port;
  log.write({
    s: 'I', c: 'CONTROL', id: 4615611, ctx: 'initandlisten', msg: 'MongoDB starting',
    attr: { pid: process.pid, port, dbPath: config.storage.dbPath ?? '(memory only)', architecture: '64-bit', host: 'db.cloudpets.test' },
  });
  log.write({ s: 'I', c: 'CONTROL', id: 21951, ctx: 'initandlisten', msg: 'Options set by command line', attr: { options: config.parsed } });
  let store: Store;
  try {
    store = new Store(config.storage.dbPath);
  } catch (error) {
    log.write({ s: 'F', c: 'STORAGE', id: 28595, ctx: 'initandlisten', msg: 'Terminating.', attr: { reason: (error as Error).message } });
    throw error;
  }
  ensureSystemCollections(store, config.parsed, options.version);
  for (const warning of store.warnings) log.write({ s: 'W', c: 'STORAGE', id: 22302, ctx: 'initandlisten', msg: 'Recovering data from the last clean checkpoint', attr: { warning } });
  if (config.security.authorization !== 'enabled') {
    log.warnAtStartup({
      c: 'CONTROL', id: 22120, ctx: 'initandlisten',
      msg: 'Access control is not enabled for the database. Read and write access to data and configuration is unrestricted',
      attr: {}, tags: ['startupWarnings'],
    });
  }
  const localOnly = !config.net.bindIpAll && config.net.bindIp.every((ip) => ip === '127.0.0.1' || ip === 'localhost' || ip === '::1');
  if (localOnly) {
    log.warnAtStartup({
      c: 'CONTROL', id: 22140, ctx: 'initandlisten',
      msg: 'This server is bound to localhost. Remote systems will be unable to connect to this server. Start the server with --bind_ip <address> to specify which IP addresses it should serve responses from, or with --bind_ip_all to bind to all interfaces. If this behavior is desired, start the server with --bind_ip 127.0.0.1 to disable this warning',
      attr: {}, tags: ['startupWarnings'],
    });
  }
  const server = new DatabaseServer(config, store, log, options.network ?? loopbackNetwork, options.argv ?? ['mongod', ...(options.configPath ? ['--config', options.configPath] : [])], options.version);
  try {
    await server.listen(port);
  } catch (error) {
    await server.close();
    store.close();
    throw error;
  }
  const first = server.listeners[0]!;
  let closed = false;
  return {
    listeners: server.listeners.map((l) => ({ ...l })),
    uri: `mongodb://${first.host}:${first.port}`,
    logPath: log.path,
    log,
    store,
    async close() {
      if (closed) return;
      closed = true;
      log.write({ s: 'I', c: 'CONTROL', id: 23138, ctx: 'SignalHandler', msg: 'Shutting down', attr: { exitCode: 0 } });
      await server.close();
      store.close();
      log.close();
    },
  };
}
