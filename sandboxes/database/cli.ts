/**
 * `npm run db -- --config FILE [--port N]`: the lab database on its own. Once it listens it
 * prints one line of JSON with its mongodb:// URI on stdout; log lines go to systemLog.path, or
 * to stderr when the config names no log file, so stdout stays machine-readable.
 * A broken mongod.conf prints mongod-like errors and exits with code 2 (mongod's BadValue).
 */
import { ConfigError, StorageError, loadMongodConfig, startDatabase } from './index.ts';

function usage(message: string): never {
  process.stderr.write(`${message}\nUsage: npm run db -- --config FILE [--port N]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { config?: string; port?: number } {
  const out: { config?: string; port?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--config' || flag === '-f') out.config = value();
    else if (flag === '--port') {
      const text = value();
      const port = Number(text);
      if (!/^\d+$/.test(text) || port > 65535) usage(`Error parsing option "--port": "${text}" is not a port number (0-65535; 0 picks a free port)`);
      out.port = port;
    } else usage(`Error parsing command line: unrecognised option '${arg}'`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let config;
  try {
    config = args.config ? loadMongodConfig(args.config) : undefined;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\ntry 'npm run db -- --help' for more information\n`);
      process.exit(2);
    }
    throw error;
  }
  const writesLogFile = config?.systemLog.destination === 'file';
  let db;
  try {
    db = await startDatabase({
      config,
      configPath: args.config,
      portOverride: args.port,
      logSink: writesLogFile ? undefined : (line) => process.stderr.write(`${line}\n`),
      argv: ['mongod', ...process.argv.slice(2)],
    });
  } catch (error) {
    process.stderr.write(`${error instanceof StorageError ? 'Storage error' : 'Start-up failed'}: ${(error as Error).message}\n`);
    process.exit(error instanceof StorageError ? 100 : 48);
  }
  process.stdout.write(`${JSON.stringify({ uri: db.uri, listeners: db.listeners, logPath: db.logPath ?? null })}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    db.log.write({ s: 'I', c: 'CONTROL', id: 23377, ctx: 'SignalHandler', msg: 'Received signal', attr: { signal } });
    void db.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
