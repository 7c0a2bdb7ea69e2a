/**
 * What the world seeded, as the checks need it: the counts it recorded in .lab/seeded.json
 * and parents whose password is known (the weak-password users of the generated dataset),
 * so a check can log in as a real parent the way the app would.
 */
import { user, weakPasswordOf, COLLECTIONS, DEFAULT_SEED, type DatasetOptions } from '../world/dataset/generate.ts';
import { worldVariants, type WorldVariants } from '../world/dataset/world-variants.ts';
import type { CheckContext } from './context.ts';

export interface Seeded {
  options: DatasetOptions;
  counts: Record<string, number>;
  /** Objects the bucket was seeded with, if the world recorded it. */
  bucketObjects?: number;
}

/** Reads .lab/seeded.json tolerantly: the world records the dataset options and document counts. */
export function seededFacts(ctx: CheckContext): Seeded | undefined {
  const raw = ctx.seeded() as Record<string, unknown> | undefined;
  if (!raw) return undefined;
  const dataset = (raw.dataset ?? raw.options ?? raw) as Record<string, unknown>;
  const seed = Number(dataset.seed);
  const users = Number(dataset.users ?? (raw.counts as Record<string, unknown> | undefined)?.users);
  if (!Number.isFinite(seed) || !Number.isFinite(users)) return undefined;
  const countsRaw = (raw.counts ?? (raw.database as Record<string, unknown> | undefined)?.counts ?? {}) as Record<string, unknown>;
  const counts: Record<string, number> = {};
  for (const name of COLLECTIONS) if (typeof countsRaw[name] === 'number') counts[name] = countsRaw[name] as number;
  const bucket = (raw.bucket ?? {}) as Record<string, unknown>;
  const bucketObjects = typeof bucket.objects === 'number' ? bucket.objects : typeof raw.bucketObjects === 'number' ? raw.bucketObjects : undefined;
  return { options: { seed, users }, counts, bucketObjects };
}

export interface KnownParent {
  index: number;
  email: string;
  password: string;
  id: string;
}

/** The first `count` parents with a known (weak) password, skipping `skip` of them. */
export function knownParents(options: DatasetOptions, count: number, skip = 0): KnownParent[] {
  const found: KnownParent[] = [];
  let seen = 0;
  for (let index = 0; index < options.users && found.length < count; index++) {
    const password = weakPasswordOf(options, index);
    if (password === undefined) continue;
    if (seen++ < skip) continue;
    const doc = user(options, index);
    found.push({ index, email: doc.email, password, id: doc._id.toHexString() });
  }
  return found;
}

/**
 * What the learner seed of this lab's world decided (server version, thief address, ransom
 * note): the checks compare answers with the learner's own world, never with the lesson's.
 */
export function variantsOf(ctx: CheckContext): WorldVariants {
  return worldVariants(seededFacts(ctx)?.options.seed ?? DEFAULT_SEED);
}

/** Words for a reason line when an answer fits another world than this one. */
export const OTHER_WORLD = 'every learner\'s world differs (your lab is built from your own seed), so read it from your world, not from the lesson or someone else\'s notes';
