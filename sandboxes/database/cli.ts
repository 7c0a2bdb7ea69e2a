/**
 * `npm run db -- --config FILE [--port N]`: the lab database on its own. Once it listens it
 * prints one line of JSON with its mongodb:// URI on stdout; log lines go to systemLog.path, or
 * to stderr when the config names no log file, so stdout stays machine-readable.
 * A broken mongod.conf prints mongod-like errors and exits with code 2 (mongod's BadValue).
 */
import { ConfigError, StorageError, loadMongodConfig, startDatabase } from './index.ts';
import { flag, parseCommandLine, stringOption, UsageError } from '../command-line/arguments.ts';

const USAGE = `Usage: npm run db -- --config FILE [--port N]

Starts the lab's MongoDB-compatible server with a mongod.conf and prints one line of JSON with
its mongodb:// URI once it listens.

  -f, --config FILE   the mongod.conf to use (relative paths in it resolve against its folder)
  --port N            listen on this port instead of net.port (0 picks a free port)
  -h, --help          show this help
`;

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseDbArgs(argv: string[]): { config?: string; port?: number } {
  let parsed;
  try {
    parsed = parseCommandLine('db', argv, { config: { type: 'string', short: 'f' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  } catch (error) {
    if (error instanceof UsageError) usage(error.message);
    throw error;
  }
  if (flag(parsed.values, 'help')) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (parsed.positionals.length > 0) usage(`Error parsing command line: unrecognised option '${parsed.positionals[0]}'`);
  const portText = stringOption(parsed.values, 'port');
  // mongod's own wording, so the message reads as the real server's would.
  if (portText !== undefined && (!/^\d+$/.test(portText) || Number(portText) > 65535)) {
    usage(`Error parsing option "--port": "${portText}" is not a port number (0-65535; 0 picks a free port)`);
  }
  return { config: stringOption(parsed.values, 'config'), port: portText === undefined ? undefined : Number(portText) };
}

async function main(): Promise<void> {
  const args = parseDbArgs(process.argv.slice(2));
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
