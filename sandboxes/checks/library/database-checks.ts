/**
 * Checks about the database, shared by lock-database, ransom and the capstone. Each replays
 * what an attacker (or the app) really does over the wire; none reads mongod.conf to decide.
 */
import type { Check } from '../types.ts';
import type { CheckContext } from '../context.ts';
import { runOn } from '../probes/mongo.ts';
import { appLogin, appPort } from '../probes/app-database-login.ts';
import { seededFacts } from '../seeded-world.ts';
import { plural, refusedOrDenied } from '../reason-words.ts';
import { scanDatabaseBanner } from '../probes/learner-tools.ts';
import { randomBytes } from 'node:crypto';
import type { LogEntry } from '../probes/db-log.ts';

const DB = 'cloudpets';

export function anonymousListFromInternet(anchor: string): Check {
  return {
    id: 'internet-cannot-list',
    title: 'Strangers on the internet cannot list your databases',
    hint: 'Turn on security.authorization in mongod.conf and restart: anonymous clients then get code 13.',
    lessonAnchor: anchor,
    async run(ctx) {
      const outcome = await ctx.command('internet', 'admin', { listDatabases: 1, nameOnly: true });
      if (outcome.ok) {
        const names = ((outcome.reply.databases as { name: string }[]) ?? []).map((d) => d.name);
        return { pass: false, reason: `an anonymous client from the internet (198.51.100.23) listed ${plural(names.length, 'database')}: ${names.join(', ')}` };
      }
      return { pass: true, reason: `an anonymous listDatabases from the internet failed: ${refusedOrDenied(outcome).words}` };
    },
  };
}

export function anonymousFindFromInternet(anchor: string): Check {
  return {
    id: 'internet-cannot-read-accounts',
    title: 'Strangers on the internet cannot read the accounts',
    hint: 'With authorization on, an anonymous find on cloudpets.users is refused with code 13.',
    lessonAnchor: anchor,
    async run(ctx) {
      const outcome = await ctx.command('internet', DB, { find: 'users', limit: 3 });
      if (outcome.ok) {
        const docs = ((outcome.reply.cursor as { firstBatch: { email?: string }[] }) ?? { firstBatch: [] }).firstBatch;
        return { pass: false, reason: `an anonymous client from the internet read ${plural(docs.length, 'account')} from cloudpets.users${docs[0]?.email ? ` (first: ${docs[0].email})` : ''}` };
      }
      return { pass: true, reason: `an anonymous find on cloudpets.users from the internet failed: ${refusedOrDenied(outcome).words}` };
    },
  };
}

/** Anonymous access from the database host itself must fail with code 13: authorization is on, not just hidden. */
export function anonymousDeniedOnHost(anchor: string): Check {
  return {
    id: 'authorization-enforced',
    title: 'Nobody reads or lists anything without logging in, even on the database host',
    hint: 'Set security.authorization: enabled. Listening on localhost only is not enough: anything on the host could still read.',
    lessonAnchor: anchor,
    async run(ctx) {
      const list = await ctx.command('app', 'admin', { listDatabases: 1, nameOnly: true });
      if (list.ok) {
        const names = ((list.reply.databases as { name: string }[]) ?? []).map((d) => d.name);
        return { pass: false, reason: `an anonymous client on the database host listed ${plural(names.length, 'database')} (${names.join(', ')}): authorization is not on` };
      }
      if (list.unreachable) return { pass: false, reason: `the database did not answer on the host's localhost: ${list.message}` };
      const find = await ctx.command('app', DB, { find: 'users', limit: 1 });
      if (find.ok) return { pass: false, reason: 'an anonymous client on the database host read cloudpets.users' };
      if (list.code === 13 && find.code === 13) return { pass: true, reason: 'anonymous listDatabases and find were refused with code 13 (Unauthorized)' };
      return { pass: false, reason: `expected code 13 for anonymous commands, got ${list.code ?? list.message} and ${find.code ?? find.message}` };
    },
  };
}

export function notOnAllInterfaces(anchor: string): Check {
  return {
    id: 'localhost-only',
    title: 'The database listens on localhost only',
    hint: 'Set net.bindIp: 127.0.0.1 (and no bindIpAll) so the database host does not accept connections from the internet.',
    lessonAnchor: anchor,
    async run(ctx) {
      const map = ctx.network();
      const open = Object.keys(map.hosts['db.cloudpets.test']?.ports ?? {});
      // Try it: a TCP connection from the internet, as a scanner would.
      const outcome = await ctx.command('internet', 'admin', { ping: 1 });
      if (open.length > 0 && !(!outcome.ok && outcome.unreachable && /refused/.test(outcome.message))) {
        return { pass: false, reason: `db.cloudpets.test (203.0.113.10) accepts connections from the internet on port ${open.join(', ')}` };
      }
      const local = Object.keys(map.appLocal);
      if (local.length === 0) return { pass: false, reason: 'the database listens nowhere, not even on localhost: the app cannot reach it' };
      return { pass: true, reason: `a connection from the internet to db.cloudpets.test was refused; the database listens on localhost:${local.join(', ')}` };
    },
  };
}

export function scanBannerQuiet(anchor: string): Check {
  return {
    id: 'scan-no-open-database',
    title: 'A scan no longer reports an open database',
    hint: 'Scan again after restarting: with authorization on and localhost-only, no banner says "authentication: disabled".',
    lessonAnchor: anchor,
    timeoutMs: 30_000,
    async run(ctx) {
      const scan = await scanDatabaseBanner(ctx);
      if (!scan.ok) return { pass: false, reason: scan.problem };
      if (/authentication:\s*disabled/i.test(scan.output)) return { pass: false, reason: `the scan still says: ${scan.line ?? 'authentication: disabled'}` };
      return { pass: true, reason: scan.line ? `the scan now shows: ${scan.line}` : 'the scan found no database port open to the internet' };
    },
  };
}

async function withAppClient<T>(ctx: CheckContext, use: (client: import('mongodb').MongoClient) => Promise<T>): Promise<T | { problem: string }> {
  const login = appLogin(ctx);
  if (!login.ok) return { problem: login.problem };
  let client;
  try {
    // Exactly where the app connects: its connection string's port on the database host.
    client = await ctx.mongo('app', login.login, login.port);
  } catch (error) {
    return { problem: `the app's user "${login.login.username}" could not log in: ${(error as Error).message}` };
  }
  return use(client);
}

export function appUserReads(anchor: string): Check {
  return {
    id: 'app-user-reads',
    title: "The app's own database user logs in and reads the CloudPets data",
    hint: 'Create a user for the app (readWrite on cloudpets) and put its name and password in MONGODB_URI in api/.env.',
    lessonAnchor: anchor,
    async run(ctx) {
      const out = await withAppClient(ctx, async (client) => {
        const login = appLogin(ctx) as { ok: true; login: { username: string } };
        const users = await client.db(DB).collection('users').find({}, { projection: { email: 1 } }).limit(5).toArray();
        if (users.length === 0) return { pass: false, reason: `"${login.login.username}" logged in but cloudpets.users is empty` };
        return { pass: true, reason: `"${login.login.username}" logged in from localhost and read accounts (first: ${String(users[0]!.email)})` };
      }).catch((error: Error) => ({ pass: false, reason: `the app's user could not read cloudpets.users: ${error.message}` }));
      return 'problem' in out ? { pass: false, reason: out.problem } : out;
    },
  };
}

export function appUserLeastPrivilege(anchor: string): Check {
  return {
    id: 'app-user-least-privilege',
    title: "The app's user can do nothing beyond the CloudPets data",
    hint: 'Give the app user only readWrite on the cloudpets database: no root, no userAdmin, no access to admin.',
    lessonAnchor: anchor,
    async run(ctx) {
      const out = await withAppClient(ctx, async (client) => {
        const allowed: string[] = [];
        const other = await runOn(client, 'admin', { find: 'system.users', limit: 1 });
        if (other.ok) allowed.push('read admin.system.users (every password hash)');
        const list = await runOn(client, 'admin', { listDatabases: 1, nameOnly: true });
        if (list.ok) {
          const names = ((list.reply.databases as { name: string }[]) ?? []).map((d) => d.name).filter((n) => n !== DB);
          if (names.length > 0) allowed.push(`list other databases (${names.join(', ')})`);
        }
        const create = await runOn(client, 'admin', { createUser: `checks-probe-${Date.now()}`, pwd: 'probe-password-not-used', roles: [] });
        if (create.ok) {
          allowed.push('create users');
          await runOn(client, 'admin', { dropUser: create.reply.user ?? '' }).catch(() => undefined);
        }
        if (allowed.length > 0) return { pass: false, reason: `the app's user can ${allowed.join(', ')}` };
        return { pass: true, reason: "the app's user was refused reading admin, listing other databases and creating users" };
      }).catch((error: Error) => ({ pass: false, reason: `could not probe the app's user: ${error.message}` }));
      return 'problem' in out ? { pass: false, reason: out.problem } : out;
    },
  };
}

/** Every collection holds as many documents as the world seeded: nothing deleted to "fix" it. */
export function nothingLost(anchor: string, options: { id?: string; title?: string; hint?: string } = {}): Check {
  return {
    id: options.id ?? 'nothing-lost',
    title: options.title ?? 'No data was lost',
    hint: options.hint ?? 'Deleting data is not a fix. Use "Reset lab" to get the seeded data back, then fix the configuration.',
    lessonAnchor: anchor,
    async run(ctx) {
      const seeded = seededFacts(ctx);
      if (!seeded || Object.keys(seeded.counts).length === 0) return { pass: false, reason: '.lab/seeded.json is missing, so there is nothing to compare with ("Reset lab" recreates it)' };
      const out = await withAppClient(ctx, (client) => compareCounts(client, seeded.counts)).catch((error: Error) => ({ problem: `could not count documents: ${error.message}` }));
      if ('problem' in out) {
        // Before the lock-down the database is open: count anonymously from the host instead.
        const anonymous = await ctx.mongo('app', undefined, appPort(ctx)).catch(() => undefined);
        if (!anonymous) return { pass: false, reason: out.problem };
        const counted = await compareCounts(anonymous, seeded.counts).catch((error: Error) => ({ pass: false, reason: `${out.problem}; counting anonymously failed too: ${error.message}` }));
        return counted;
      }
      return out;
    },
  };
}

async function compareCounts(client: import('mongodb').MongoClient, expected: Record<string, number>): Promise<{ pass: boolean; reason: string }> {
  const differences: string[] = [];
  let total = 0;
  for (const [name, want] of Object.entries(expected)) {
    const have = await client.db(DB).collection(name).countDocuments({});
    total += have;
    // More is fine (parents sign up while the lab runs); fewer means something was deleted.
    if (have < want) differences.push(`${name}: ${have} of ${want}`);
  }
  if (differences.length > 0) return { pass: false, reason: `documents are missing: ${differences.join(', ')}` };
  return { pass: true, reason: `every seeded document is still there, ${total} in all (${Object.entries(expected).map(([n, c]) => `${n} ${c}`).join(', ')})` };
}

/** Roles that can create, change and drop users (MongoDB built-in roles). */
const USER_ADMIN_ROLES = new Set(['root', 'userAdminAnyDatabase', '__system']);

interface CreatedUser {
  user: string;
  db: string;
}

/** Users the log shows created (and not dropped since) with a role that can manage users. */
function administratorsInLog(entries: LogEntry[]): CreatedUser[] {
  const admins = new Map<string, CreatedUser>();
  for (const entry of entries) {
    const attr = entry.attr ?? {};
    const command = attr.command as Record<string, unknown> | undefined;
    if (!command || attr.ok === 0 || attr.errCode !== undefined) continue;
    const db = typeof attr.ns === 'string' ? attr.ns.split('.')[0]! : typeof command.$db === 'string' ? command.$db : 'admin';
    if (typeof command.createUser === 'string' || typeof command.updateUser === 'string' || typeof command.grantRolesToUser === 'string') {
      const user = String(command.createUser ?? command.updateUser ?? command.grantRolesToUser);
      const roles = Array.isArray(command.roles) ? command.roles : [];
      const canManage = roles.some((role: unknown) => {
        const name = typeof role === 'string' ? role : String((role as { role?: unknown })?.role ?? '');
        const roleDb = typeof role === 'string' ? db : String((role as { db?: unknown })?.db ?? db);
        return (USER_ADMIN_ROLES.has(name) && roleDb === 'admin') || (name === 'userAdmin' && roleDb === 'admin');
      });
      if (canManage) admins.set(`${db}.${user}`, { user, db });
    }
    if (typeof command.dropUser === 'string') admins.delete(`${db}.${command.dropUser}`);
    if (command.dropAllUsersFromDatabase !== undefined) for (const [key, admin] of admins) if (admin.db === db) admins.delete(key);
  }
  return [...admins.values()];
}

/**
 * After the lock-down an administrator must still be able to manage users, from the database
 * host (dbhost mongosh). The check does not know the administrator's password, so it proves
 * the account exists the way the server can tell: the log shows it created with a role that
 * manages users, and a login attempt as that user from the host (with a wrong password) is
 * refused as a wrong password, not as "Could not find user".
 */
export function adminUserExists(anchor: string): Check {
  return {
    id: 'admin-user-exists',
    title: 'An administrator account exists to manage users from the database host',
    hint: 'Before turning on authorization, create an administrator in the admin database with the root (or userAdminAnyDatabase) role; afterwards manage users from the host with dbhost mongosh -u <admin> -p --authenticationDatabase admin.',
    lessonAnchor: anchor,
    async run(ctx) {
      const candidates = administratorsInLog(ctx.dbLog());
      if (candidates.length === 0) return { pass: false, reason: 'the database log shows no user created with a role that can manage users (root or userAdminAnyDatabase in the admin database)' };
      const missing: string[] = [];
      for (const admin of candidates) {
        const before = ctx.dbLog().length;
        // A wrong password on purpose: the check cannot know the real one, and must not guess it.
        const probe = await ctx.mongo('app', { username: admin.user, password: `not-the-password-${randomBytes(6).toString('hex')}`, authSource: admin.db }, appPort(ctx)).then(
          () => 'logged-in' as const,
          (error: Error) => error.message,
        );
        if (probe === 'logged-in') return { pass: false, reason: `"${admin.user}" accepted a made-up password` };
        if (/ECONNREFUSED|timed out|Server selection/i.test(probe)) return { pass: false, reason: `the database did not answer on the host's localhost: ${probe}` };
        const failure = ctx.dbLog().slice(before).reverse().find((entry) => entry.msg === 'Authentication failed' && entry.attr?.principalName === admin.user);
        const error = String(failure?.attr?.error ?? '');
        if (!failure) return { pass: false, reason: `a login attempt as "${admin.user}" left no trace in the database log, so the account cannot be confirmed` };
        if (/Could not find user/i.test(error)) missing.push(`${admin.user} (${admin.db})`);
        else return { pass: true, reason: `"${admin.user}" in ${admin.db} was created with a role that manages users, and the server knows the account (a wrong password is refused as such from the host)` };
      }
      return { pass: false, reason: `the log shows ${missing.join(', ')} created as administrator, but the server no longer has ${missing.length === 1 ? 'that account' : 'those accounts'}` };
    },
  };
}
