/**
 * `mongosh` for the lab: connection strings, -u/-p/--authenticationDatabase, --eval, --file,
 * --quiet, --json and an interactive REPL, printing like MongoDB's own shell. The official
 * driver does the talking; the lab network map says where db.cloudpets.test:27017 really is.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { LabNetworkError, loadLabNetwork } from '../lab-connection/lab-endpoint.ts';
import { connectLabMongo, parseMongoTarget, type LabMongoConnection } from '../lab-connection/mongo-target.ts';
import { promptPassword, takeBarePasswordFlag } from '../program/password-prompt.ts';
import type { ToolIO } from '../program/tool-io.ts';
import { flag, stringList, stringOption, UsageError, openCommandLine, usageMessage } from '../../command-line/arguments.ts';
import { IncompleteInputError } from './async-rewrite.ts';
import { formatError } from './format-output.ts';
import { SHELL_HELP, ShellExit, ShellSession } from './shell-session.ts';

export const MONGOSH_VERSION = '2.12.0';
export const MONGOSH_EXIT = { ok: 0, error: 1, usage: 2 } as const;

export const MONGOSH_HELP = `Usage: mongosh [options] [connection string] [file names]
The MongoDB shell for the lab (a mongosh-compatible subset). Host names resolve through the
lab network map, e.g. mongosh mongodb://db.cloudpets.test:27017/cloudpets

Connection:
  mongodb://[user:pass@]host[:port][/db][?authSource=db]   or   host[:port][/db]   or   db
  --host <host[:port]>               server to connect to (default localhost)
  --port <port>                      port (default 27017)
  -u, --username <name>              user to authenticate as
  -p, --password <password>          password for -u (a bare -p asks for it)
  --authenticationDatabase <db>      database holding the user (default: the connection's db, else admin)

Running code:
  --eval <js>                        run JavaScript and print the last value (repeatable)
  -f, --file <file.js>               run a script file (repeatable; a positional *.js works too)
  --json[=relaxed|canonical]         print the --eval result as Extended JSON
  --quiet                            no banner
  --shell                            after --eval/--file, stay in the interactive shell
  -h, --help                         this help
  --version                          print the shell version

In the shell: use <db>, show dbs, show collections, show users, it, exit, help;
db.<collection>.find()/findOne()/countDocuments()/aggregate()/insertOne()/updateOne()/
deleteOne()/drop(), db.createUser(), db.getSiblingDB(), db.runCommand(), db.adminCommand().

Exit codes: 0 success, 1 the server refused, the connection failed, or the script threw,
2 bad command-line arguments.`;

export async function mongoshMain(argv: string[], io: ToolIO): Promise<number> {
  // mongosh accepts a bare --json meaning --json=relaxed, and a bare -p meaning "ask me".
  const bare = takeBarePasswordFlag(argv.map((arg) => (arg === '--json' ? '--json=relaxed' : arg)));
  const args = bare.argv;
  const parsed = openCommandLine({ name: 'mongosh', help: MONGOSH_HELP, usageExit: MONGOSH_EXIT.usage, io }, args, {
    host: { type: 'string' },
    port: { type: 'string' },
    username: { type: 'string', short: 'u' },
    password: { type: 'string', short: 'p' },
    authenticationDatabase: { type: 'string' },
    eval: { type: 'string', multiple: true },
    file: { type: 'string', short: 'f', multiple: true },
    json: { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean' },
    shell: { type: 'boolean' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (flag(values, 'version')) {
    io.stdout.write(MONGOSH_VERSION + '\n');
    return 0;
  }
  const usage = (message: string) => {
    io.stderr.write(`${usageMessage('mongosh', message)}
`);
    return MONGOSH_EXIT.usage;
  };

  const files = [...stringList(values, 'file'), ...positionals.filter((arg) => /\.(js|mongodb)$/.test(arg))];
  const connectionArgs = positionals.filter((arg) => !/\.(js|mongodb)$/.test(arg));
  if (connectionArgs.length > 1) return usage(`one connection string only, got: ${connectionArgs.join(' ')}`);
  const evals = stringList(values, 'eval');
  const json = stringOption(values, 'json');
  if (json !== undefined && json !== 'relaxed' && json !== 'canonical') return usage(`--json takes relaxed or canonical, got '${json}'`);
  if (json !== undefined && evals.length === 0) return usage('--json needs --eval');

  const scripts: { name: string; source: string }[] = [];
  for (const file of files) {
    try {
      scripts.push({ name: file, source: readFileSync(resolvePath(io.cwd, file), 'utf8') });
    } catch (error) {
      const code = (error as { code?: string }).code;
      io.stderr.write(code === 'ENOENT' ? `mongosh: file not found: ${file}\n` : `mongosh: cannot read ${file}: ${(error as Error).message}\n`);
      return MONGOSH_EXIT.usage;
    }
  }

  let connection: LabMongoConnection;
  const hasUser = stringOption(values, 'username') !== undefined || /^mongodb:\/\/[^/@]+@/.test(connectionArgs[0] ?? '');
  if (bare.prompt && !hasUser) return usage('-p without a value asks for the password of a user: add -u NAME');
  try {
    const target = parseMongoTarget('mongosh', {
      connection: connectionArgs[0],
      host: stringOption(values, 'host'),
      port: stringOption(values, 'port'),
      username: stringOption(values, 'username'),
      password: stringOption(values, 'password') ?? (bare.prompt && hasUser ? await promptPassword(io) : undefined),
      authenticationDatabase: stringOption(values, 'authenticationDatabase'),
    });
    const quiet = flag(values, 'quiet') || json !== undefined;
    if (!quiet) io.stdout.write(`Connecting to:\t\t${target.display}\n`);
    const map = loadLabNetwork(io);
    connection = await connectLabMongo(map, target, `mongosh ${MONGOSH_VERSION}`);
    if (!quiet) await printBanner(connection, io);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message.replace(/^mongosh: /, ''));
    if (error instanceof LabNetworkError) io.stderr.write(`MongoNetworkError: ${error.message}\n`);
    else io.stderr.write(formatError(error) + '\n');
    return MONGOSH_EXIT.error;
  }

  const colors = io.stdout.isTTY === true && !io.env.NO_COLOR;
  // CLOUDPETS_MONGOSH_EVALUATOR=function forces the evaluator used where node:vm is missing.
  const evaluator = io.env.CLOUDPETS_MONGOSH_EVALUATOR === 'function' ? 'function' : 'vm';
  const session = new ShellSession(connection.client, connection.target.db, (text) => io.stdout.write(text + '\n'), colors, evaluator);
  try {
    if (evals.length || scripts.length) {
      return await runScripts(session, evals, scripts, json, io, flag(values, 'shell') ? () => repl(session, io) : undefined);
    }
    return await repl(session, io);
  } finally {
    await connection.client.close().catch(() => undefined);
  }
}

async function printBanner(connection: LabMongoConnection, io: ToolIO): Promise<void> {
  const admin = connection.client.db('admin');
  const buildInfo = await admin.command({ buildInfo: 1 }).catch(() => undefined);
  io.stdout.write(`Using MongoDB:\t\t${buildInfo?.version ?? 'unknown'}\nUsing Mongosh:\t\t${MONGOSH_VERSION}\n\n`);
  // The startup warnings are how an open server announces itself: "Access control is not enabled".
  const log = await admin.command({ getLog: 'startupWarnings' }).catch(() => undefined);
  const lines = Array.isArray(log?.log) ? (log.log as unknown[]) : [];
  if (lines.length === 0) return;
  let text = '------\n   The server generated these startup warnings when booting\n';
  for (const line of lines) {
    try {
      const entry = JSON.parse(String(line)) as { t?: { $date?: string }; msg?: string; attr?: Record<string, unknown> };
      text += `   ${entry.t?.$date ?? ''}: ${entry.msg ?? ''}\n`;
    } catch {
      text += `   ${String(line)}\n`;
    }
  }
  io.stdout.write(text + '------\n\n');
}

async function runScripts(
  session: ShellSession,
  evals: string[],
  scripts: { name: string; source: string }[],
  json: string | undefined,
  io: ToolIO,
  thenRepl?: () => Promise<number>,
): Promise<number> {
  let last: unknown;
  try {
    for (const script of scripts) await session.evaluate(script.source, script.name);
    for (const source of evals) last = await session.evaluate(source, '@(shell eval)');
  } catch (error) {
    if (error instanceof ShellExit) return error.code;
    if (json !== undefined) {
      const err = error as Error;
      io.stdout.write(JSON.stringify({ message: err.message, name: err.name, ...(error as object) }, null, 2) + '\n');
    } else {
      // Outside the REPL mongosh prints a thrown error as "Name: message", without the code name.
      const err = error as { name?: string; message?: string };
      io.stderr.write(`${err.name ?? 'Error'}: ${err.message ?? String(error)}\n`);
    }
    return MONGOSH_EXIT.error;
  }
  if (evals.length) {
    try {
      if (json !== undefined) {
        const text = await session.jsonResult(last, json === 'relaxed');
        if (text !== undefined) io.stdout.write(text + '\n');
      } else {
        await session.printResult(last);
      }
    } catch (error) {
      io.stderr.write(formatError(error) + '\n');
      return MONGOSH_EXIT.error;
    }
  }
  return thenRepl ? thenRepl() : MONGOSH_EXIT.ok;
}

/** The interactive shell: prompt `<db>> `, `... ` while an entry is incomplete. */
async function repl(session: ShellSession, io: ToolIO): Promise<number> {
  const terminal = (io.stdin as { isTTY?: boolean }).isTTY === true && io.stdout.isTTY === true;
  const rl = createInterface({
    input: io.stdin,
    output: terminal ? (io.stdout as NodeJS.WritableStream) : undefined,
    terminal,
    historySize: 200,
  });
  const prompt = (text: string) => {
    if (terminal) {
      rl.setPrompt(text);
      rl.prompt();
    } else {
      io.stdout.write(text);
    }
  };
  let interrupted = false;
  rl.on('SIGINT', () => {
    if (interrupted) {
      rl.close();
      return;
    }
    interrupted = true;
    io.stdout.write('\n(To exit, press Ctrl+C again or Ctrl+D or type .exit)\n');
    buffer = [];
    prompt(`${session.dbName}> `);
  });
  let buffer: string[] = [];
  prompt(`${session.dbName}> `);
  try {
    for await (const line of rl) {
      interrupted = false;
      if (buffer.length === 0 && /^\s*\.exit\s*$/.test(line)) break;
      if (buffer.length === 0 && /^\s*help\s*$/.test(line)) {
        io.stdout.write(SHELL_HELP + '\n');
        prompt(`${session.dbName}> `);
        continue;
      }
      buffer.push(line);
      const source = buffer.join('\n');
      try {
        const value = await session.evaluate(source);
        buffer = [];
        // mongosh answers an entry without a value (an assignment, an empty line) with an empty line.
        if (value === undefined) io.stdout.write('\n');
        else await session.printResult(value);
      } catch (error) {
        if (error instanceof IncompleteInputError) {
          prompt(terminal ? '... ' : '| ');
          continue;
        }
        buffer = [];
        if (error instanceof ShellExit) return error.code;
        // Byte for byte what mongosh writes: its error formatter starts with a carriage return,
        // so on a terminal the error overwrites the "Uncaught " line start.
        io.stdout.write(`Uncaught \r${formatError(error)}\n`);
      }
      prompt(`${session.dbName}> `);
    }
  } finally {
    rl.close();
  }
  return MONGOSH_EXIT.ok;
}
