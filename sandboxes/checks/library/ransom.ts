/**
 * The ransom lab: the backup taken before the raid (written once, when the lab folder is first
 * started, from the real seeded data), and the checks that compare the restored database
 * with it and send the bot again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EJSON, type Document } from 'bson';
import type { Check } from '../types.ts';
import type { CheckContext } from '../context.ts';
import { COLLECTIONS } from '../../world/dataset/generate.ts';
import { RANSOM_NOTE_DATABASES } from '../../world/dataset/world-variants.ts';
import { collectionFingerprint, fingerprint } from './content-hash.ts';
import { readerClient } from './app-credentials.ts';
import { runTool } from './scan.ts';
import { plural } from './vantage-words.ts';

export const BACKUP_DIR = 'backup';
export const RANSOM_DATABASES: readonly string[] = RANSOM_NOTE_DATABASES;

export interface Manifest {
  database: string;
  takenAt: string;
  collections: Record<string, { count: number; sha256: string; file: string }>;
}

/** Writes backup/<collection>.jsonl, backup/manifest.json and backup/restore.js from the live data. */
export async function writeBackup(ctx: CheckContext): Promise<Manifest> {
  const client = await ctx.mongo('app');
  const dir = join(ctx.labDir, BACKUP_DIR);
  mkdirSync(dir, { recursive: true });
  const manifest: Manifest = { database: 'cloudpets', takenAt: new Date().toISOString(), collections: {} };
  const restoreParts: string[] = [];
  for (const name of COLLECTIONS) {
    const docs = await client.db('cloudpets').collection(name).find({}).sort({ _id: 1 }).toArray();
    const lines = docs.map((doc) => EJSON.stringify(doc, { relaxed: false }));
    writeFileSync(join(dir, `${name}.jsonl`), lines.join('\n') + (lines.length ? '\n' : ''));
    manifest.collections[name] = { count: docs.length, sha256: fingerprint(docs), file: `${name}.jsonl` };
    const coll = `target.getCollection(${JSON.stringify(name)})`;
    restoreParts.push(
      [
        `// ${name}: ${docs.length} documents`,
        `docs = EJSON.deserialize([\n${lines.join(',\n')}\n], { relaxed: false });`,
        `${coll}.deleteMany({ _id: { $in: docs.map((doc) => doc._id) } });`,
        docs.length > 0 ? `${coll}.insertMany(docs);` : '',
        `print(${JSON.stringify(`${name}: `)} + docs.length + ' documents restored');`,
      ].filter(Boolean).join('\n'),
    );
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(dir, 'restore.js'), restoreScript(restoreParts));
  return manifest;
}

function restoreScript(parts: string[]): string {
  // Top-level statements only: the shell runs each database call to completion before the
  // next line, as mongosh does for a script.
  return `// CloudPets backup, restore script for mongosh:
//   mongosh mongodb://db.cloudpets.test:27017 --file backup/restore.js
// The same documents as the .jsonl files in this folder (canonical Extended JSON), inlined so
// the script needs nothing but the shell. Documents with the same _id are replaced, never
// duplicated, so running it twice is safe.
const target = db.getSiblingDB('cloudpets');
let docs;
${parts.join('\n\n')}
`;
}

export function readManifest(ctx: CheckContext): Manifest | undefined {
  try {
    return JSON.parse(ctx.readText(join(BACKUP_DIR, 'manifest.json')) ?? '') as Manifest;
  } catch {
    return undefined;
  }
}

export function everythingRestored(anchor: string): Check {
  return {
    id: 'everything-restored',
    title: 'Every account and recording from the backup is back',
    hint: 'Run the backup\'s restore script (mongosh ... --file backup/restore.js) and compare counts with backup/manifest.json.',
    lessonAnchor: anchor,
    timeoutMs: 30_000,
    async run(ctx) {
      const manifest = readManifest(ctx);
      if (!manifest) return { pass: false, reason: `${BACKUP_DIR}/manifest.json is missing or damaged ("Reset lab" brings the backup back)` };
      const client = await readerClient(ctx);
      const problems: string[] = [];
      let total = 0;
      for (const [name, want] of Object.entries(manifest.collections)) {
        const have = await collectionFingerprint(client, manifest.database, name);
        total += have.count;
        if (have.count !== want.count) problems.push(`${name}: ${have.count} of ${want.count} documents`);
        else if (have.sha256 !== want.sha256) problems.push(`${name}: ${want.count} documents, but their contents differ from the backup`);
      }
      if (problems.length > 0) return { pass: false, reason: `cloudpets is not as backed up: ${problems.join('; ')}` };
      return { pass: true, reason: `all ${total} documents are back, identical to the backup (${Object.keys(manifest.collections).join(', ')})` };
    },
  };
}

async function ransomDatabasesSeen(ctx: CheckContext): Promise<string[] | { problem: string }> {
  const client = await readerClient(ctx).catch((error: Error) => ({ problem: error.message }));
  if ('problem' in client) return client;
  try {
    const reply = await client.db('admin').command({ listDatabases: 1, nameOnly: true });
    return ((reply.databases as { name: string }[]) ?? []).map((d) => d.name).filter((name) => !['admin', 'config', 'local', 'cloudpets'].includes(name));
  } catch (error) {
    return { problem: `could not list the databases to look for notes: ${(error as Error).message}` };
  }
}

export function ransomNoteGone(anchor: string): Check {
  return {
    id: 'ransom-note-gone',
    title: 'The ransom note is gone',
    hint: "List the databases (show dbs): the one that is neither admin, config, local nor cloudpets is the note. Drop it by its name in your world: db.getSiblingDB('<name>').dropDatabase()",
    lessonAnchor: anchor,
    async run(ctx) {
      const others = await ransomDatabasesSeen(ctx);
      if ('problem' in others) return { pass: false, reason: others.problem };
      const client = await readerClient(ctx);
      const notes = (await client.db('cloudpets').listCollections({}, { nameOnly: true }).toArray()).map((c) => String(c.name)).filter((n) => RANSOM_DATABASES.includes(n));
      const left = [...others, ...notes.map((n) => `cloudpets.${n}`)];
      if (left.length > 0) return { pass: false, reason: `still on the server: ${left.join(', ')} (the note's name differs between learners' worlds: drop the one your server lists)` };
      return { pass: true, reason: 'no ransom database or note collection is left on the server' };
    },
  };
}

export function raidHappened(anchor: string): Check {
  return {
    id: 'raid-happened',
    title: 'The raid happened in this lab (the database log shows the bot)',
    hint: 'Run the bot first (ransom-bot db.cloudpets.test), then restore, then close the door.',
    lessonAnchor: anchor,
    async run(ctx) {
      const { connections } = await import('../probes/db-log.ts');
      const drops = connections(ctx.dbLog())
        .filter((c) => c.address === '198.51.100.23')
        .flatMap((c) => c.commands)
        .filter((c) => (c.name === 'dropDatabase' || c.name === 'drop') && c.db === 'cloudpets' && c.errorCode === undefined);
      if (drops.length === 0) return { pass: false, reason: 'the database log shows no drop of cloudpets from the internet: the bot has not raided this lab yet' };
      return { pass: true, reason: `the log shows cloudpets dropped from 198.51.100.23 at ${drops[0]!.at ?? 'an unknown time'}` };
    },
  };
}

export function botReplayFails(anchor: string): Check {
  return {
    id: 'bot-replay-fails',
    title: 'The ransom bot fails when it comes back',
    hint: 'Stop listening on the internet: net.bindIp: 127.0.0.1 in mongod.conf (lesson 7 adds authorization too).',
    lessonAnchor: anchor,
    timeoutMs: 45_000,
    async run(ctx) {
      let botMain: (argv: string[], io: import('../../tools/program/tool-io.ts').ToolIO) => Promise<number>;
      try {
        ({ ransomBotMain: botMain } = (await import('../../tools/ransom-bot/ransom-bot.ts')) as { ransomBotMain: typeof botMain });
      } catch (error) {
        return { pass: false, reason: `the ransom bot could not be loaded: ${(error as Error).message}` };
      }
      // --dry-run: the bot connects, lists and reports what it would copy and drop, exactly as
      // far as a raid gets, without wiping the learner's restore when the door is still open.
      const run = await runTool(ctx, botMain, ['--dry-run', 'db.cloudpets.test']);
      const output = `${run.stdout}\n${run.stderr}`.trim().split('\n').filter(Boolean);
      const last = output.at(-1) ?? `exit code ${run.code}`;
      if (run.code === 0) return { pass: false, reason: `the bot got in again: ${last}` };
      return { pass: true, reason: `the bot's replay failed: ${last}` };
    },
  };
}

export type { Document };
