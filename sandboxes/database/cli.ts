/**
 * `npm run db -- --config FILE [--port N]`: the lab database on its own. Once it listens it
 * prints one line of JSON with its mongodb:// URI on stdout; log lines go to systemLog.path, or
 * to stderr when the config names no log file, so stdout stays machine-readable.
 * A broken mongod.conf prints mongod-like errors and exits with code 2 (mongod's BadValue).
 */
import { ConfigError, StorageError, loadMongodConfig, startDatabase } from './index.ts';
import { stringOption, UsageError } from '../command-line/arguments.ts';
import { readCommandLine, type ProgramSpec } from '../command-line/read-command-line.ts';

const DB: ProgramSpec = {
  name: 'db',
  helpCommand: 'npm run db -- --help',
  usage: `usage: npm run db -- --config FILE [--port N]

Starts the lab's MongoDB-compatible server with a mongod.conf and prints one line of JSON with
its mongodb:// URI once it listens.

  -f, --config FILE   the mongod.conf to use (relative paths in it resolve against its folder)
  --port N            listen on this port instead of net.port (0 picks a free port)
  -h, --help          show this help
`,
  options: { config: { type: 'string', short: 'f' }, port: { type: 'string' } },
};

function readPort(portText: string | undefined): number | undefined {
  if (portText === undefined) return undefined;
  // mongod's own wording, so the message reads as the real server's would.
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
    throw new UsageError(`Error parsing option "--port": "${portText}" is not a port number (0-65535; 0 picks a free port)`);
  }
  return Number(portText);
}

async function main(): Promise<void> {
  const read = readCommandLine(DB, process.argv.slice(2), ({ values }) => ({
    config: stringOption(values, 'config'),
    port: readPort(stringOption(values, 'port')),
  }));
  if (!read.ok) process.exit(read.exitCode);
  const args = read.value;
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
