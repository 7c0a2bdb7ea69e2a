/**
 * Evidence for the attack labs, read from the world: the database's own log (what the
 * learner's commands did, from the internet address 198.51.100.23) and the files the learner
 * saved, compared with the real data. A check never trusts a file on its own.
 */
import type { Document } from 'bson';
import type { Check } from '../types.ts';
import type { CheckContext } from '../context.ts';
import { anonymousCommandsFrom, connections } from '../probes/db-log.ts';
import { LEARNER_ADDRESS } from '../../world/network/hosts.ts';
import { parseFindings } from '../learner-files/findings-file.ts';
import { FINDINGS_FILE } from '../learner-files/learner-file-names.ts';
import { plural } from '../reason-words.ts';
import { OTHER_WORLD } from '../seeded-world.ts';
import { readExportedDocuments } from '../learner-files/downloads-folder.ts';
import { DOWNLOADS_DIR } from '../learner-files/learner-file-names.ts';

export function scanReachedDatabase(anchor: string): Check {
  return {
    id: 'scan-reached-database',
    title: 'Your scan reached the database',
    hint: 'Run the scanner against the lab network (scan 203.0.113.0/24, or scan db.cloudpets.test).',
    lessonAnchor: anchor,
    async run(ctx) {
      const fromLearner = connections(ctx.dbLog()).filter((c) => c.address === LEARNER_ADDRESS);
      if (fromLearner.length === 0) return { pass: false, reason: `the database log shows no connection from your address (${LEARNER_ADDRESS}) yet` };
      const probes = fromLearner.filter((c) => c.appName === 'scan');
      if (probes.length === 0) {
        const clients = [...new Set(fromLearner.map((c) => c.appName ?? 'an unnamed client'))].join(', ');
        return { pass: false, reason: `the log shows ${plural(fromLearner.length, 'connection')} from ${LEARNER_ADDRESS} (${clients}), but none from the scanner` };
      }
      return { pass: true, reason: `the database log shows the scanner's probe from ${LEARNER_ADDRESS} at ${probes[0]!.acceptedAt ?? 'an unknown time'}` };
    },
  };
}

async function databaseFacts(ctx: CheckContext): Promise<{ version: string; port: number }> {
  return ctx.memo('db-facts', async () => {
    const outcome = await ctx.command('app', 'admin', { buildInfo: 1 });
    if (!outcome.ok) throw new Error(`the database did not answer buildInfo: ${outcome.message}`);
    const ports = Object.keys(ctx.network().hosts['db.cloudpets.test']?.ports ?? {});
    return { version: String(outcome.reply.version), port: Number(ports[0] ?? 27017) };
  });
}

export function findingsMatchDatabase(anchor: string): Check[] {
  const read = (ctx: CheckContext): Map<string, string> => parseFindings(ctx.readText(FINDINGS_FILE));
  return [
    {
      id: 'findings-host',
      title: 'You recorded which host runs the open database',
      hint: `Write "host: <name or address>" in ${FINDINGS_FILE}, as the scan printed it.`,
      lessonAnchor: anchor,
      async run(ctx) {
        const host = read(ctx).get('host');
        if (!host) return { pass: false, reason: `${FINDINGS_FILE} has no "host:" line yet` };
        const ok = ['db.cloudpets.test', '203.0.113.10'].includes(host.toLowerCase().replace(/\.$/, ''));
        return ok ? { pass: true, reason: `host ${host} is the database server` } : { pass: false, reason: `host "${host}" is not the host the open database runs on` };
      },
    },
    {
      id: 'findings-port',
      title: 'You recorded the port it listens on',
      hint: `Write "port: <number>" in ${FINDINGS_FILE}: the open port whose banner says MongoDB.`,
      lessonAnchor: anchor,
      async run(ctx) {
        const port = read(ctx).get('port');
        if (!port) return { pass: false, reason: `${FINDINGS_FILE} has no "port:" line yet` };
        const facts = await databaseFacts(ctx);
        return Number(port) === facts.port ? { pass: true, reason: `port ${port} is where the database answers` } : { pass: false, reason: `port "${port}" is not the database's port` };
      },
    },
    {
      id: 'findings-version',
      title: 'You recorded the version it reports',
      hint: `Write "version: <x.y.z>" in ${FINDINGS_FILE}, from the scan's banner.`,
      lessonAnchor: anchor,
      async run(ctx) {
        const version = read(ctx).get('version')?.replace(/^v/i, '');
        if (!version) return { pass: false, reason: `${FINDINGS_FILE} has no "version:" line yet` };
        const facts = await databaseFacts(ctx);
        return version === facts.version ? { pass: true, reason: `version ${version} matches what the server reports` } : { pass: false, reason: `version "${version}" is not what your server reports (${OTHER_WORLD})` };
      },
    },
  ];
}

const READS = new Set(['find', 'getMore', 'aggregate', 'count']);

export function logShowsAnonymousReads(anchor: string): Check {
  return {
    id: 'log-shows-anonymous-reads',
    title: 'The database log shows you listing and reading without a password',
    hint: 'Connect with mongosh to db.cloudpets.test without -u/-p, run "show dbs", "use cloudpets", "show collections" and read from users.',
    lessonAnchor: anchor,
    async run(ctx) {
      const commands = anonymousCommandsFrom(ctx.dbLog(), LEARNER_ADDRESS);
      const listed = commands.some((c) => c.name === 'listDatabases');
      const collections = commands.some((c) => c.name === 'listCollections' && c.db === 'cloudpets');
      const readUsers = commands.some((c) => READS.has(c.name) && c.db === 'cloudpets' && c.collection === 'users');
      const seen = [...new Set(commands.map((c) => (c.collection ? `${c.name} on ${c.db}.${c.collection}` : `${c.name}${c.db ? ` on ${c.db}` : ''}`)))];
      const missing = [!listed && 'listDatabases', !collections && 'listCollections on cloudpets', !readUsers && 'a read (find) of cloudpets.users'].filter(Boolean);
      if (missing.length > 0) {
        return { pass: false, reason: seen.length > 0 ? `the log shows ${LEARNER_ADDRESS} ran ${seen.slice(0, 6).join(', ')} without logging in, but not yet ${missing.join(', ')}` : `the log shows no unauthenticated commands from ${LEARNER_ADDRESS} yet` };
      }
      return { pass: true, reason: `the log shows ${LEARNER_ADDRESS} ran ${seen.slice(0, 6).join(', ')} without logging in` };
    },
  };
}

export function exportHoldsAccounts(anchor: string): Check {
  return {
    id: 'export-holds-accounts',
    title: 'Your export holds the real accounts',
    hint: 'Export the users collection: mongoexport --host db.cloudpets.test --db cloudpets --collection users --out downloads/users.json',
    lessonAnchor: anchor,
    timeoutMs: 30_000,
    async run(ctx) {
      const files = ctx.listFiles(DOWNLOADS_DIR).filter((f) => /\.(json|jsonl|ndjson)$/i.test(f));
      if (files.length === 0) return { pass: false, reason: `there is no .json export in ${DOWNLOADS_DIR}/ yet` };
      const exported = files.flatMap((file) => readExportedDocuments(ctx.readText(file) ?? '').map((doc) => ({ file, doc })));
      const withEmail = exported.filter(({ doc }) => typeof doc.email === 'string');
      if (withEmail.length === 0) return { pass: false, reason: `${files.join(', ')} hold${files.length === 1 ? 's' : ''} no account rows (no documents with an email field)` };
      const client = await ctx.mongo('app');
      const users = client.db('cloudpets').collection('users');
      const total = await users.countDocuments({});
      const real = new Map<string, Document>();
      for (const doc of await users.find({}, { projection: { email: 1, password: 1 } }).toArray()) real.set(String(doc._id), doc);
      let matching = 0;
      let invented = 0;
      const seen = new Set<string>();
      for (const { doc } of withEmail) {
        const original = real.get(String(doc._id));
        if (original && original.email === doc.email && original.password === doc.password) {
          if (!seen.has(String(doc._id))) matching++;
          seen.add(String(doc._id));
        } else invented++;
      }
      if (matching === 0) return { pass: false, reason: `none of the ${withEmail.length} rows in ${files.join(', ')} matches an account in your cloudpets.users (${OTHER_WORLD})` };
      if (invented > 0) return { pass: false, reason: `${invented} of the ${withEmail.length} rows do not match any account in cloudpets.users (was the file edited by hand?)` };
      if (matching < total) return { pass: false, reason: `the export holds ${matching} of the ${total} accounts; export the whole collection` };
      return { pass: true, reason: `${files.join(', ')} holds all ${total} accounts, each identical to cloudpets.users (e-mail and bcrypt hash)` };
    },
  };
}
