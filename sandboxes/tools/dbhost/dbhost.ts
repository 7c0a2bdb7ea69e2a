/**
 * `dbhost`: a shell on the database host, as an administrator would open one with
 * `ssh db.cloudpets.test`. On that host, localhost is the database's own loopback interface,
 * so `dbhost mongosh` still reaches the database after `net.bindIp: 127.0.0.1` (and the
 * database logs the connection as coming from 127.0.0.1, like the app's). Only the commands
 * an administrator needs there are offered: the MongoDB shell, and `hostname`.
 */
import type { ToolIO } from '../program/tool-io.ts';
import { mongoshMain } from '../mongosh/mongosh.ts';
import { loadLabNetwork, LabNetworkError } from '../lab-connection/lab-endpoint.ts';
import { DB_HOST } from '../../world/network/hosts.ts';

export const DBHOST_EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const DBHOST_HELP = `Usage: dbhost <command> [arguments]
Run a command on the database host ${DB_HOST.name}, as an administrator logged in there
would (like ssh ${DB_HOST.name}). On that host, localhost is the database itself, so this
works after net.bindIp: 127.0.0.1, when the database no longer listens on the internet.

Commands:
  mongosh [options] [connection]   the MongoDB shell, on the host (default mongodb://localhost:27017);
                                   e.g. dbhost mongosh -u admin -p --authenticationDatabase admin
  hostname                         print the host's name (to see where you are)
  -h, --help                       this help

Exit codes: the command's own (mongosh: 0, 1 server/connection/script error, 2 usage);
2 no command or an unknown one; 1 no lab network (start the lab first).`;

const COMMANDS = ['mongosh', 'hostname'] as const;

export async function dbhostMain(argv: string[], io: ToolIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help') {
    io.stdout.write(DBHOST_HELP + '\n');
    return DBHOST_EXIT.ok;
  }
  if (command === undefined || !(COMMANDS as readonly string[]).includes(command)) {
    io.stderr.write(`dbhost: ${command === undefined ? 'no command given' : `'${command}' is not available on the database host`}: use one of ${COMMANDS.join(', ')}, e.g. dbhost mongosh\nTry 'dbhost --help' for more.\n`);
    return DBHOST_EXIT.usage;
  }
  const onHost: ToolIO = { ...io, env: { ...io.env, CLOUDPETS_NETWORK_FROM: 'app' } };
  try {
    // Fail here, in dbhost's words, when there is no lab to log in to.
    loadLabNetwork(onHost);
  } catch (error) {
    io.stderr.write(`dbhost: cannot reach ${DB_HOST.name}: ${error instanceof LabNetworkError ? error.message : String(error)}\n`);
    return DBHOST_EXIT.failed;
  }
  if (command === 'hostname') {
    if (rest.length > 0) {
      io.stderr.write(`dbhost: hostname takes no arguments\n`);
      return DBHOST_EXIT.usage;
    }
    io.stdout.write(`${DB_HOST.name}\n`);
    return DBHOST_EXIT.ok;
  }
  return mongoshMain(rest, onHost);
}
