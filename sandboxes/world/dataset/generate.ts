/**
 * The fake CloudPets dataset: users (parents), children, pets (toys), friend links and voice
 * recordings, shaped like the leaked data. Deterministic: the same (seed, users) always gives
 * the same documents, byte for byte. Random access: any user and everything hanging off it
 * can be generated alone (streamFor seeds one stream per entity), so the full 821,396-user
 * set streams through generators in bounded memory, and the bucket can answer "does this
 * recording key exist" without a stored index.
 *
 * Ratios follow the counts Victor Gevers (GDI Foundation) gave Motherboard (28 Feb 2017), as
 * lesson 1 cites them: 371,970 friend records and 2,182,337 recordings for 821,396 users. Both are spread with a running floor so the totals are exact for every size.
 */
import bcrypt from 'bcryptjs';
import { ObjectId } from 'bson';
import { CHILD_CLIPS, PARENT_CLIPS, type Clip } from '../recordings/clips.ts';
import { CHILD_NICKNAMES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, TOY_NAMES, TOY_TYPES } from './names.ts';
import { streamFor, type Random } from './prng.ts';
import { WEAK_PASSWORDS, WEAK_PASSWORD_SHARE } from './weak-passwords.ts';
import weakHashes from './weak-password-hashes.json' with { type: 'json' };
import { DEFAULT_SEED, MAX_SEED } from './seed.ts';

export const FULL_USERS = 821_396;
export const FULL_FRIENDS = 371_970;
export const FULL_RECORDINGS = 2_182_337;
export const DEFAULT_USERS = 2_000;
export { DEFAULT_SEED } from './seed.ts';
export const DATABASE_NAME = 'cloudpets';
/** Public URLs in the recordings collection, as the 2016 app stored them. */
export const BUCKET_PUBLIC_URL = 'http://bucket.cloudpets.test';

export interface DatasetOptions {
  seed: number;
  users: number;
}

export interface UserDoc {
  _id: ObjectId;
  email: string;
  name: string;
  password: string;
  createdAt: Date;
}
export interface ChildDoc {
  _id: ObjectId;
  parentId: ObjectId;
  nickname: string;
  birthday: Date;
  relationship: 'child';
  createdAt: Date;
}
export interface PetDoc {
  _id: ObjectId;
  ownerId: ObjectId;
  childId: ObjectId;
  type: (typeof TOY_TYPES)[number];
  name: string;
  createdAt: Date;
}
export interface FriendDoc {
  _id: ObjectId;
  userId: ObjectId;
  friendId: ObjectId;
  createdAt: Date;
}
export interface RecordingDoc {
  _id: ObjectId;
  userId: ObjectId;
  childId: ObjectId;
  petId: ObjectId;
  from: 'parent' | 'child';
  key: string;
  url: string;
  createdAt: Date;
}

export type CollectionName = 'users' | 'children' | 'pets' | 'friends' | 'recordings';
export const COLLECTIONS: readonly CollectionName[] = ['users', 'children', 'pets', 'friends', 'recordings'];

// Sign-ups from the launch to just before the leak; recordings until the ransom wave.
const SIGNUP_START = Date.UTC(2014, 9, 1) / 1000;
const SIGNUP_END = Date.UTC(2016, 11, 20) / 1000;
const RECORDINGS_END = Date.UTC(2017, 0, 5) / 1000;
// Up to 4 children (and pets) per user: their id counters are userIndex * 4 + k.
const MAX_CHILDREN = 4;

export class DatasetOptionsError extends Error {
  override name = 'DatasetOptionsError';
}

export function checkOptions(options: Partial<DatasetOptions> = {}): DatasetOptions {
  const seed = options.seed ?? DEFAULT_SEED;
  const users = options.users ?? DEFAULT_USERS;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new DatasetOptionsError(`seed must be an integer from 0 to ${MAX_SEED} (got ${seed})`);
  if (!Number.isInteger(users) || users < 1 || users > FULL_USERS) throw new DatasetOptionsError(`users must be an integer from 1 to ${FULL_USERS} (got ${users})`);
  return { seed, users };
}

/** Deterministic ObjectId: 4-byte time (as a real insert would have) + 5 bytes per collection + 3-byte counter. */
const idMiddles = new Map<string, Uint8Array>();
function objectId(options: DatasetOptions, collection: CollectionName, seconds: number, counter: number): ObjectId {
  const bytes = new Uint8Array(12);
  new DataView(bytes.buffer).setUint32(0, Math.floor(seconds) >>> 0);
  const cacheKey = `${options.seed}:${collection}`;
  let middle = idMiddles.get(cacheKey);
  if (!middle) idMiddles.set(cacheKey, (middle = streamFor(options.seed, `oid:${collection}`, 0).bytes(5)));
  bytes.set(middle, 4);
  bytes[9] = (counter >>> 16) & 0xff;
  bytes[10] = (counter >>> 8) & 0xff;
  bytes[11] = counter & 0xff;
  return new ObjectId(bytes);
}

/** The counter part of a dataset ObjectId (its last 3 bytes). */
export function objectIdCounter(id: ObjectId | string): number {
  const hex = typeof id === 'string' ? id : id.toHexString();
  return parseInt(hex.slice(18, 24), 16);
}

/** Running-floor share: item i gets floor((i+1)·T/N) − floor(i·T/N), so the N shares sum to T exactly. */
function share(total: number, count: number, index: number): { first: number; count: number } {
  const first = Math.floor((index * total) / count);
  return { first, count: Math.floor(((index + 1) * total) / count) - first };
}

export function totalFriends(users: number): number {
  return Math.round((users * FULL_FRIENDS) / FULL_USERS);
}
export function totalRecordings(users: number): number {
  return Math.round((users * FULL_RECORDINGS) / FULL_USERS);
}

function userCreatedSeconds(options: DatasetOptions, index: number, rng: Random): number {
  const step = (SIGNUP_END - SIGNUP_START) / options.users;
  // Jitter stays inside the user's slot so sign-up times (and ObjectIds) keep insert order.
  return Math.floor(SIGNUP_START + index * step + rng.next() * step * 0.9);
}

// bcrypt at cost 10 takes ~70 ms per hash in pure JS: far too slow for 821,396 users. Weak
// users draw a hash from a precomputed pool (make-hash-pool.ts, 4 salts per password); the
// others get a random, well-formed cost-10 hash whose password nobody knows, which is what a
// strong password looks like to a cracker.
function strongHash(rng: Random): string {
  return `$2a$10$${bcrypt.encodeBase64(rng.bytes(16), 16)}${bcrypt.encodeBase64(rng.bytes(23), 23)}`;
}

interface UserCore {
  id: ObjectId;
  createdSeconds: number;
  childCount: number;
}

// The cheap part of a user (id, sign-up time, family size): children, pets, friends and
// recordings need it for every document, so it avoids names and hashes.
function userCore(options: DatasetOptions, index: number): UserCore {
  const rng = streamFor(options.seed, 'user', index);
  const createdSeconds = userCreatedSeconds(options, index, rng);
  const roll = rng.next();
  const childCount = roll < 0.72 ? 1 : roll < 0.96 ? 2 : 3;
  return { id: objectId(options, 'users', createdSeconds, index), createdSeconds, childCount };
}

// Which of the oldest accounts chose a weak password. The cracking lab tells every learner to
// attack the oldest accounts first (bcrypt is slow); whatever the seed, the first
// EARLY_USERS of them hold exactly EARLY_WEAK weak passwords, so the lesson's commands
// work in every learner's world while *which* accounts (and which passwords) differ.
export const EARLY_USERS = 12;
export const EARLY_WEAK = 3;
const earlyWeakCache = new Map<number, ReadonlySet<number>>();
function earlyWeak(seed: number): ReadonlySet<number> {
  let chosen = earlyWeakCache.get(seed);
  if (!chosen) {
    const rng = streamFor(seed, 'early-weak', 0);
    const order = Array.from({ length: EARLY_USERS }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    earlyWeakCache.set(seed, (chosen = new Set(order.slice(0, EARLY_WEAK))));
  }
  return chosen;
}

function userPassword(options: DatasetOptions, index: number): { password?: string; hash: string } {
  const rng = streamFor(options.seed, 'password', index);
  const roll = rng.next();
  if (index < EARLY_USERS ? earlyWeak(options.seed).has(index) : roll < WEAK_PASSWORD_SHARE) {
    const password = rng.pick(WEAK_PASSWORDS);
    return { password, hash: rng.pick((weakHashes as Record<string, string[]>)[password]!) };
  }
  return { hash: strongHash(rng) };
}

/** A user's _id without building the whole document (cheap: for lookups and binary searches). */
export function userId(options: DatasetOptions, index: number): ObjectId {
  return userCore(options, index).id;
}

export function user(options: DatasetOptions, index: number): UserDoc {
  const core = userCore(options, index);
  const rng = streamFor(options.seed, 'profile', index);
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const domain = rng.pick(EMAIL_DOMAINS);
  const style = rng.int(3);
  // The index keeps e-mails unique (the app has a unique index on them).
  const local = style === 0 ? `${first}.${last}${index}` : style === 1 ? `${first}${last}${index}` : `${first[0]}${last}_${index}`;
  return {
    _id: core.id,
    email: `${local}@${domain}`.toLowerCase(),
    name: `${first} ${last}`,
    password: userPassword(options, index).hash,
    createdAt: new Date(core.createdSeconds * 1000),
  };
}

/** The plaintext of a weak-password user (undefined for the others): for tests and checks. */
export function weakPasswordOf(options: DatasetOptions, index: number): string | undefined {
  return userPassword(options, index).password;
}

export function childrenOf(options: DatasetOptions, index: number): ChildDoc[] {
  const parent = userCore(options, index);
  const out: ChildDoc[] = [];
  for (let k = 0; k < parent.childCount; k++) {
    const rng = streamFor(options.seed, 'child', index * MAX_CHILDREN + k);
    const created = parent.createdSeconds + 60 + rng.int(3600);
    const birthday = Date.UTC(2009 + rng.int(7), rng.int(12), 1 + rng.int(28));
    out.push({
      _id: objectId(options, 'children', created, index * MAX_CHILDREN + k),
      parentId: parent.id,
      nickname: rng.pick(CHILD_NICKNAMES),
      birthday: new Date(birthday),
      relationship: 'child',
      createdAt: new Date(created * 1000),
    });
  }
  return out;
}

export function petsOf(options: DatasetOptions, index: number, children = childrenOf(options, index)): PetDoc[] {
  return children.map((child, k) => {
    const rng = streamFor(options.seed, 'pet', index * MAX_CHILDREN + k);
    const created = child.createdAt.getTime() / 1000 + 30 + rng.int(600);
    return {
      _id: objectId(options, 'pets', created, index * MAX_CHILDREN + k),
      ownerId: child.parentId,
      childId: child._id,
      type: rng.pick(TOY_TYPES),
      name: rng.pick(TOY_NAMES),
      createdAt: new Date(created * 1000),
    };
  });
}

export function friendsOf(options: DatasetOptions, index: number): FriendDoc[] {
  const { first, count } = share(totalFriends(options.users), options.users, index);
  const self = userCore(options, index);
  const out: FriendDoc[] = [];
  for (let j = 0; j < count; j++) {
    const rng = streamFor(options.seed, 'friend', first + j);
    if (options.users < 2) break;
    let other = rng.int(options.users - 1);
    if (other >= index) other += 1;
    const friend = userCore(options, other);
    const created = Math.max(self.createdSeconds, friend.createdSeconds) + 3600 + rng.int(30 * 86400);
    out.push({ _id: objectId(options, 'friends', created, first + j), userId: self.id, friendId: friend.id, createdAt: new Date(created * 1000) });
  }
  return out;
}

export interface RecordingWithClip {
  doc: RecordingDoc;
  clip: Clip;
}

/** The bucket key of a recording: recordings/<user id>/<recording id>.wav */
export function recordingKey(userId: ObjectId, recordingId: ObjectId): string {
  return `recordings/${userId.toHexString()}/${recordingId.toHexString()}.wav`;
}

/** A user's recordings, sorted by key (= by id), each with the clip whose bytes it serves. */
export function recordingsOf(options: DatasetOptions, index: number): RecordingWithClip[] {
  const { first, count } = share(totalRecordings(options.users), options.users, index);
  const parent = userCore(options, index);
  const children = childrenOf(options, index);
  const pets = petsOf(options, index, children);
  const out: RecordingWithClip[] = [];
  for (let j = 0; j < count; j++) {
    const rng = streamFor(options.seed, 'recording', first + j);
    const k = rng.int(children.length);
    const from = rng.next() < 0.55 ? 'parent' : 'child';
    const clip = rng.pick(from === 'parent' ? PARENT_CLIPS : CHILD_CLIPS);
    const start = parent.createdSeconds + 3600;
    const created = Math.floor(start + rng.next() * (RECORDINGS_END - start));
    const id = objectId(options, 'recordings', created, first + j);
    const key = recordingKey(parent.id, id);
    out.push({
      doc: {
        _id: id,
        userId: parent.id,
        childId: children[k]!._id,
        petId: pets[k]!._id,
        from,
        key,
        url: `${BUCKET_PUBLIC_URL}/${key}`,
        createdAt: new Date(created * 1000),
      },
      clip,
    });
  }
  return out.sort((a, b) => (a.doc.key < b.doc.key ? -1 : a.doc.key > b.doc.key ? 1 : 0));
}

/** The user index a dataset user id stands for, or undefined if the id is not one of them. */
export function userIndexOf(options: DatasetOptions, userIdHex: string): number | undefined {
  if (!/^[0-9a-f]{24}$/.test(userIdHex)) return undefined;
  const index = objectIdCounter(userIdHex);
  if (index >= options.users) return undefined;
  return userCore(options, index).id.toHexString() === userIdHex ? index : undefined;
}

/** Find the recording behind a bucket key, if the dataset has one. */
export function recordingByKey(options: DatasetOptions, key: string): RecordingWithClip | undefined {
  const match = /^recordings\/([0-9a-f]{24})\/([0-9a-f]{24})\.wav$/.exec(key);
  if (!match) return undefined;
  const index = userIndexOf(options, match[1]!);
  if (index === undefined) return undefined;
  return recordingsOf(options, index).find((r) => r.doc.key === key);
}

export function* documents(options: DatasetOptions, collection: CollectionName): Generator<UserDoc | ChildDoc | PetDoc | FriendDoc | RecordingDoc> {
  for (let i = 0; i < options.users; i++) {
    switch (collection) {
      case 'users': yield user(options, i); break;
      case 'children': yield* childrenOf(options, i); break;
      case 'pets': yield* petsOf(options, i); break;
      case 'friends': yield* friendsOf(options, i); break;
      case 'recordings': for (const r of recordingsOf(options, i)) yield r.doc; break;
    }
  }
}

/** Recordings in bucket-key order from a given user onwards (the bucket's listing source). */
export function* recordingsFrom(options: DatasetOptions, firstUser = 0): Generator<RecordingWithClip> {
  for (let i = firstUser; i < options.users; i++) yield* recordingsOf(options, i);
}

export type DatasetCounts = Record<CollectionName, number>;

/** Exact document counts for a size (children/pets are per-user random, so they are counted). */
export function datasetCounts(options: DatasetOptions): DatasetCounts {
  let children = 0;
  for (let i = 0; i < options.users; i++) children += userCore(options, i).childCount;
  return { users: options.users, children, pets: children, friends: totalFriends(options.users), recordings: totalRecordings(options.users) };
}
