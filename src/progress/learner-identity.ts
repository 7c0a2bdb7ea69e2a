/**
 * Who this browser's learner is, for the labs: a random learner id and a learner seed, both
 * made once and kept in the browser (localStorage) next to the progress. The seed is what
 * makes the learner's lab worlds their own (which accounts have weak passwords, the thief's
 * address, the ransom note's name, the server's version, every ObjectId): runtimes pass it to
 * `Runtime.mount(labId, { seed })`, which writes it into `.lab/lab.json`, and the checks
 * compare the learner's answers with that world. An answer copied from the lesson (whose
 * examples come from DEFAULT_SEED 2016) or from another learner's world then fails.
 *
 * No account and no server: clearing site data makes a new learner with a new seed. Like the
 * progress store, anything unreadable is discarded with one warning, never a broken page.
 */
import { memoryStorage, type KeyValueStorage } from './key-value-storage';

export const learnerStorageKey = 'cloudpets-lab:learner:v1';
const learnerVersion = 1;

/** Learner seeds are six-digit numbers: easy to read out to an instructor, never the lessons' 2016. */
export const LEARNER_SEED_MIN = 100_000;
export const LEARNER_SEED_MAX = 999_999;

export interface LearnerIdentity {
  version: 1;
  /** Random, opaque: "l-" and 16 hex digits. */
  id: string;
  /** The learner seed every lab world of this learner is built from. */
  seed: number;
  /** ISO time the identity was made. */
  createdAt: string;
  /** A name or e-mail the learner chose to give for hand-ins (optional; issue 12). */
  name?: string;
}

/** The longest name or e-mail kept for hand-ins. */
export const LEARNER_NAME_MAX = 120;

export type LearnerStorage = KeyValueStorage;

export function isLearnerSeed(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= LEARNER_SEED_MIN && value <= LEARNER_SEED_MAX;
}

const ID_PATTERN = /^l-[0-9a-f]{16}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Read a stored identity, or say why it cannot be used. */
export function parseLearner(raw: string): { learner?: LearnerIdentity; problem?: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { problem: 'it is not valid JSON' };
  }
  if (!isRecord(value)) return { problem: 'it is not an object' };
  if (value.version !== learnerVersion) return { problem: `it has version ${JSON.stringify(value.version)}, this site reads version ${learnerVersion}` };
  if (typeof value.id !== 'string' || !ID_PATTERN.test(value.id)) return { problem: 'its id is malformed' };
  if (!isLearnerSeed(value.seed)) return { problem: `its seed must be a whole number from ${LEARNER_SEED_MIN} to ${LEARNER_SEED_MAX}` };
  if (typeof value.createdAt !== 'string' || Number.isNaN(Date.parse(value.createdAt))) return { problem: 'its createdAt is not a time' };
  const name = typeof value.name === 'string' && value.name.trim() && value.name.length <= LEARNER_NAME_MAX ? value.name.trim() : undefined;
  return { learner: { version: learnerVersion, id: value.id, seed: value.seed, createdAt: value.createdAt, ...(name ? { name } : {}) } };
}

/** Random integers from the platform's CSPRNG (Math.random is predictable, and a seed is a secret-ish fairness token). */
export function cryptoRandom(max: number): number {
  const word = new Uint32Array(1);
  globalThis.crypto.getRandomValues(word);
  return word[0]! % max;
}

export interface LearnerStoreOptions {
  storage?: LearnerStorage;
  now?: () => Date;
  warn?: (message: string) => void;
  /** An integer in [0, max): tests pass a fixed sequence. */
  random?: (max: number) => number;
}

export interface LearnerStore {
  /** The learner, made and saved on first use. */
  getLearner(): LearnerIdentity;
  /** The seed alone (what runtimes pass to Runtime.mount). */
  getSeed(): number;
  /** Forget this learner: the next getLearner() makes a new id and seed. */
  reset(): LearnerIdentity;
  /** Keep (or, with an empty value, forget) the name or e-mail the learner gives for hand-ins. */
  setName(name: string | undefined): LearnerIdentity;
}

export function createLearnerStore(options: LearnerStoreOptions = {}): LearnerStore {
  const storage = options.storage ?? memoryStorage();
  const now = options.now ?? (() => new Date());
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const random = options.random ?? cryptoRandom;
  let cached: LearnerIdentity | undefined;

  function make(): LearnerIdentity {
    const hex = Array.from({ length: 16 }, () => random(16).toString(16)).join('');
    const learner: LearnerIdentity = {
      version: learnerVersion,
      id: `l-${hex}`,
      seed: LEARNER_SEED_MIN + random(LEARNER_SEED_MAX - LEARNER_SEED_MIN + 1),
      createdAt: now().toISOString(),
    };
    try {
      storage.setItem(learnerStorageKey, JSON.stringify(learner));
    } catch (error) {
      warn(`CloudPets Lab: could not save your learner seed (${String(error)}); your labs get a new world on every visit.`);
    }
    return learner;
  }

  function read(): LearnerIdentity {
    let raw: string | null = null;
    try {
      raw = storage.getItem(learnerStorageKey);
    } catch (error) {
      warn(`CloudPets Lab: could not read your learner seed (${String(error)}); a new one is used for this visit.`);
    }
    if (raw === null) return make();
    const { learner, problem } = parseLearner(raw);
    if (learner) return learner;
    warn(`CloudPets Lab: the saved learner identity under "${learnerStorageKey}" was discarded because ${problem}. A new one was made.`);
    return make();
  }

  return {
    getLearner() {
      cached ??= read();
      return { ...cached };
    },
    getSeed() {
      cached ??= read();
      return cached.seed;
    },
    setName(name) {
      cached ??= read();
      const clean = name?.trim().slice(0, LEARNER_NAME_MAX);
      const { name: _old, ...rest } = cached;
      cached = clean ? { ...rest, name: clean } : rest;
      try {
        storage.setItem(learnerStorageKey, JSON.stringify(cached));
      } catch (error) {
        warn(`CloudPets Lab: could not save your name (${String(error)}); it is used for this visit only.`);
      }
      return { ...cached };
    },
    reset() {
      try {
        storage.removeItem(learnerStorageKey);
      } catch {
        // The new identity below replaces it anyway.
      }
      cached = make();
      return { ...cached };
    },
  };
}
