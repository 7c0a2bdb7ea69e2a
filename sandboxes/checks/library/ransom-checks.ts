/**
 * The ransom lab's checks: the restored database compared with the backup taken before the
 * raid (../lab-setups/ransom-backup.ts), the note gone, and the bot sent again.
 */
import type { Check } from '../types.ts';
import type { CheckContext } from '../context.ts';
import { RANSOM_NOTE_DATABASES } from '../../world/dataset/world-variants.ts';
import { BACKUP_DIR, readManifest } from '../lab-setups/ransom-backup.ts';
import { collectionFingerprint } from '../probes/collection-fingerprint.ts';
import { readerClient } from '../probes/app-database-login.ts';
import { runToolInProcess } from '../probes/learner-tools.ts';

// Widened to string[] so a collection name read from the server can be looked up in it.
const NOTE_NAMES: readonly string[] = RANSOM_NOTE_DATABASES;

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
      const notes = (await client.db('cloudpets').listCollections({}, { nameOnly: true }).toArray()).map((c) => String(c.name)).filter((n) => NOTE_NAMES.includes(n));
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
      const run = await runToolInProcess(ctx, botMain, ['--dry-run', 'db.cloudpets.test']);
      const output = `${run.stdout}\n${run.stderr}`.trim().split('\n').filter(Boolean);
      const last = output.at(-1) ?? `exit code ${run.code}`;
      if (run.code === 0) return { pass: false, reason: `the bot got in again: ${last}` };
      return { pass: true, reason: `the bot's replay failed: ${last}` };
    },
  };
}

