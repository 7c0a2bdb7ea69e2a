/**
 * `mongoexport`: one collection to JSON lines in relaxed Extended JSON ({"$oid": ...},
 * {"$date": ...}), with the real tool's flags and its two stderr lines ("connected to: ...",
 * "exported N records"). This is how the 2017 attackers walked off with the users collection.
 */
import { BSON } from 'mongodb';
import type { Document } from 'mongodb';
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { LabNetworkError, loadLabNetwork } from '../lab-connection/lab-endpoint.ts';
import { csvHeader, csvRow } from './csv-row.ts';
import { connectLabMongo, parseMongoTarget } from '../lab-connection/mongo-target.ts';
import type { ToolIO } from '../program/tool-io.ts';
import { flag, integerOption, stringOption, UsageError, openCommandLine, usageMessage } from '../../command-line/arguments.ts';

export const MONGOEXPORT_EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const MONGOEXPORT_HELP = `Usage: mongoexport <options>
Export one collection to JSON lines (Extended JSON, relaxed), like MongoDB's mongoexport.
Host names resolve through the lab network map.

Connection:
  --uri <mongodb://...>              connection string (host, port, db, credentials, authSource)
  -h, --host <host[:port]>           server (default localhost)
  --port <port>                      port (default 27017)
  -u, --username <name>              user to authenticate as
  -p, --password <password>          password for -u
  --authenticationDatabase <db>      database holding the user
Export:
  -d, --db <name>                    database (default: the one in --uri, else test)
  -c, --collection <name>            collection to export (required)
  -q, --query <json>                 filter, as Extended JSON, e.g. '{"email": {"$regex": "example"}}'
  -f, --fields <a,b,c>               only these fields (_id is always included)
  --sort <json>                      sort, e.g. '{"created": 1}'
  --skip <n>                         skip the first n documents
  --limit <n>                        export at most n documents
  --type <json|csv>                  output format (default json; csv needs --fields)
  --noHeaderLine                     csv: leave out the header line
  --jsonArray                        one JSON array instead of one document per line
  --jsonFormat <relaxed|canonical>   Extended JSON mode (default relaxed)
  -o, --out <file>                   write to <file> (default stdout)
  --quiet                            no log lines on stderr
  --help                             this help

Example:
  mongoexport --uri mongodb://db.cloudpets.test:27017/cloudpets -c users -o downloads/users.jsonl

Exit codes: 0 exported, 1 connection, authentication or server failure, 2 bad arguments.`;

function timestamp(): string {
  return new Date().toISOString().replace('Z', '+0000');
}

export async function mongoexportMain(argv: string[], io: ToolIO): Promise<number> {
  const parsed = openCommandLine({ name: 'mongoexport', help: MONGOEXPORT_HELP, usageExit: MONGOEXPORT_EXIT.usage, io }, argv, {
    uri: { type: 'string' },
    host: { type: 'string', short: 'h' },
    port: { type: 'string' },
    username: { type: 'string', short: 'u' },
    password: { type: 'string', short: 'p' },
    authenticationDatabase: { type: 'string' },
    db: { type: 'string', short: 'd' },
    collection: { type: 'string', short: 'c' },
    query: { type: 'string', short: 'q' },
    fields: { type: 'string', short: 'f' },
    sort: { type: 'string' },
    skip: { type: 'string' },
    limit: { type: 'string' },
    jsonArray: { type: 'boolean' },
    type: { type: 'string' },
    noHeaderLine: { type: 'boolean' },
    jsonFormat: { type: 'string' },
    out: { type: 'string', short: 'o' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const quiet = flag(values, 'quiet');
  const log = (text: string) => {
    if (!quiet) io.stderr.write(`${timestamp()}\t${text}\n`);
  };
  const usage = (message: string) => {
    io.stderr.write(`${usageMessage('mongoexport', message)}
`);
    return MONGOEXPORT_EXIT.usage;
  };

  let target;
  let query: Document;
  let sort: Document | undefined;
  let skip: number | undefined;
  let limit: number | undefined;
  const jsonFormat = stringOption(values, 'jsonFormat') ?? 'relaxed';
  try {
    if (positionals.length) throw new UsageError(`mongoexport: unexpected argument '${positionals[0]}' (options need their -- name)`);
    if (jsonFormat !== 'relaxed' && jsonFormat !== 'canonical') throw new UsageError(`mongoexport: --jsonFormat must be relaxed or canonical, got '${jsonFormat}'`);
    target = parseMongoTarget('mongoexport', {
      connection: stringOption(values, 'uri'),
      host: stringOption(values, 'host'),
      port: stringOption(values, 'port'),
      username: stringOption(values, 'username'),
      password: stringOption(values, 'password'),
      authenticationDatabase: stringOption(values, 'authenticationDatabase'),
      db: stringOption(values, 'db'),
    });
    query = parseJsonOption('query', stringOption(values, 'query')) ?? {};
    sort = parseJsonOption('sort', stringOption(values, 'sort'));
    skip = integerOption('mongoexport', values, 'skip');
    limit = integerOption('mongoexport', values, 'limit');
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message.replace(/^mongoexport: /, ''));
    throw error;
  }
  const collection = stringOption(values, 'collection');
  if (!collection) return usage('must specify a collection with -c/--collection');
  const fields = stringOption(values, 'fields')?.split(',').map((field) => field.trim()).filter(Boolean);
  const outputType = stringOption(values, 'type') ?? 'json';
  if (outputType !== 'json' && outputType !== 'csv') return usage(`--type must be json or csv, got '${outputType}'`);
  if (outputType === 'csv' && !fields?.length) return usage('--type=csv needs the columns: add --fields email,password,...');

  let connection;
  try {
    const map = loadLabNetwork(io);
    connection = await connectLabMongo(map, target, 'mongoexport');
  } catch (error) {
    io.stderr.write(`${timestamp()}\tFailed: ${describe(error)}\n`);
    return MONGOEXPORT_EXIT.failed;
  }
  log(`connected to: ${target.display}`);

  const outName = stringOption(values, 'out');
  let fd: number | undefined;
  let count = 0;
  try {
    if (outName) {
      try {
        fd = openSync(resolvePath(io.cwd, outName), 'w');
      } catch (error) {
        io.stderr.write(`${timestamp()}\tFailed: cannot write ${outName}: ${(error as Error).message}\n`);
        return MONGOEXPORT_EXIT.failed;
      }
    }
    const write = (text: string) => (fd === undefined ? io.stdout.write(text) : writeSync(fd, text));
    const cursor = connection.client
      .db(target.db)
      .collection(collection)
      .find(query, {
        ...(fields ? { projection: Object.fromEntries(fields.map((field) => [field, 1])) } : {}),
        ...(sort ? { sort } : {}),
        ...(skip ? { skip } : {}),
        ...(limit ? { limit } : {}),
      });
    const jsonArray = flag(values, 'jsonArray');
    if (outputType === 'csv') {
      if (!flag(values, 'noHeaderLine')) write(csvHeader(fields!));
      for await (const doc of cursor) {
        write(csvRow(doc, fields!));
        count++;
      }
    } else {
      if (jsonArray) write('[');
      for await (const doc of cursor) {
        const text = BSON.EJSON.stringify(doc, { relaxed: jsonFormat === 'relaxed' });
        write(jsonArray ? `${count ? ',' : ''}${text}` : `${text}\n`);
        count++;
      }
      if (jsonArray) write(']\n');
    }
  } catch (error) {
    io.stderr.write(`${timestamp()}\tFailed: ${describe(error)}\n`);
    return MONGOEXPORT_EXIT.failed;
  } finally {
    if (fd !== undefined) closeSync(fd);
    await connection.client.close().catch(() => undefined);
  }
  log(`exported ${count} record${count === 1 ? '' : 's'}`);
  return MONGOEXPORT_EXIT.ok;
}

function parseJsonOption(name: string, text: string | undefined): Document | undefined {
  if (text === undefined) return undefined;
  try {
    const value = BSON.EJSON.parse(text, { relaxed: true }) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected a JSON object like {"field": "value"}');
    return value as Document;
  } catch (error) {
    throw new UsageError(`mongoexport: error parsing --${name} as Extended JSON: ${(error as Error).message}`);
  }
}

function describe(error: unknown): string {
  if (error instanceof LabNetworkError) return error.message;
  const err = error as { name?: string; codeName?: string; message?: string };
  return err.codeName ? `(${err.codeName}) ${err.message}` : String(err.message ?? error);
}
