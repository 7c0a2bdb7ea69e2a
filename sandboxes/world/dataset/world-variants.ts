/**
 * What a learner seed changes in a lab world besides the documents themselves (ObjectIds,
 * e-mails, which accounts chose a weak password, recording keys: generate.ts), so that an
 * answer copied from the lesson or from another learner's world does not fit this one:
 *
 * - the version the database server reports (a 2016-era 3.x release, as CloudPets ran then),
 * - the address the scripted thief of the detection lab connects from (TEST-NET, never the
 *   learner's own 198.51.100.23 nor a CloudPets server),
 * - the database the ransom bot leaves its note in.
 *
 * The lessons show the world of DEFAULT_SEED (2016). Learner worlds never repeat the lesson
 * world's values, so a learner cannot pass by typing the lesson's output.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SEED } from './generate.ts';
import { streamFor } from './prng.ts';

/**
 * MongoDB releases of 2015-2016, the era of CloudPets' server. The lab's server behaves like
 * a current mongod whatever it reports; only the reported number varies.
 */
export const SERVER_VERSIONS = ['3.0.11', '3.0.12', '3.2.5', '3.2.6', '3.2.7', '3.2.8', '3.2.9', '3.2.10', '3.4.0'] as const;

/** Ransom-note database names of the January 2017 MongoDB wave (the first three were seen on CloudPets' server). */
export const RANSOM_NOTE_DATABASES = ['README_MISSING_DATABASES', 'PWNED_SECURE_YOUR_STUFF_SILLY', 'PLEASE_READ', 'WARNING', 'README', 'PLEASE_READ_ME', 'DELETED_BECAUSE_YOU_DIDNT_PAY'] as const;

/** The lesson world's thief (DEFAULT_SEED): TEST-NET-1. */
export const DEFAULT_THIEF_ADDRESS = '192.0.2.146';
/** Addresses a thief must never have: the learner's shell, the parent's home (hosts.ts) and CloudPets' own servers. */
const RESERVED = new Set(['198.51.100.23', '198.51.100.77', '203.0.113.10', '203.0.113.20', '203.0.113.30']);
/** TEST-NET-1 and TEST-NET-2 (RFC 5737): documentation ranges, never routed. */
const THIEF_NETWORKS = ['192.0.2', '198.51.100'] as const;

export interface WorldVariants {
  seed: number;
  serverVersion: string;
  thiefAddress: string;
  ransomDatabase: string;
}

/** Picks from `items` for a learner seed, never the item the lesson world (DEFAULT_SEED) has. */
function pickAvoidingDefault<T>(seed: number, stream: string, items: readonly T[], lessonItem: T): T {
  if (seed === DEFAULT_SEED) return lessonItem;
  const others = items.filter((item) => item !== lessonItem);
  return others[streamFor(seed, stream, 0).int(others.length)]!;
}

function thiefAddress(seed: number): string {
  if (seed === DEFAULT_SEED) return DEFAULT_THIEF_ADDRESS;
  const rng = streamFor(seed, 'thief-address', 0);
  for (;;) {
    const address = `${THIEF_NETWORKS[rng.int(THIEF_NETWORKS.length)]}.${2 + rng.int(253)}`;
    if (!RESERVED.has(address) && address !== DEFAULT_THIEF_ADDRESS) return address;
  }
}

export function worldVariants(seed: number): WorldVariants {
  return {
    seed,
    serverVersion: pickAvoidingDefault(seed, 'server-version', SERVER_VERSIONS, SERVER_VERSIONS[7]),
    thiefAddress: thiefAddress(seed),
    ransomDatabase: pickAvoidingDefault(seed, 'ransom-database', RANSOM_NOTE_DATABASES, RANSOM_NOTE_DATABASES[0]),
  };
}

/**
 * The seed a lab folder's world was built from: `.lab/seeded.json` (what the world really
 * seeded), else the learner seed in `.lab/lab.json`, else DEFAULT_SEED. For the tools that
 * act on the learner's behalf inside the world (the ransom bot names its note from it).
 */
export function labSeed(labDir: string): number {
  for (const [file, pick] of [
    ['seeded.json', (raw: Record<string, unknown>) => (raw.dataset as Record<string, unknown> | undefined)?.seed],
    ['lab.json', (raw: Record<string, unknown>) => raw.seed ?? (raw.world as Record<string, unknown> | undefined)?.seed],
  ] as const) {
    const path = join(labDir, '.lab', file);
    if (!existsSync(path)) continue;
    try {
      const seed = pick(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>);
      if (typeof seed === 'number' && Number.isInteger(seed) && seed >= 0) return seed;
    } catch {
      // unreadable: try the next source
    }
  }
  return DEFAULT_SEED;
}
