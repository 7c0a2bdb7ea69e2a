import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import {
  DatasetOptionsError,
  FULL_FRIENDS,
  FULL_RECORDINGS,
  FULL_USERS,
  checkOptions,
  datasetCounts,
  documents,
  recordingByKey,
  recordingsOf,
  totalFriends,
  totalRecordings,
  user,
  userIndexOf,
  weakPasswordOf,
} from '../../sandboxes/world/dataset/generate.ts';
import { WEAK_PASSWORDS } from '../../sandboxes/world/dataset/weak-passwords.ts';
import { BSON } from 'bson';

const small = { seed: 2016, users: 3000 };

function serializeAll(options: { seed: number; users: number }, collection: Parameters<typeof documents>[1]): string {
  const parts: string[] = [];
  for (const doc of documents(options, collection)) parts.push(Buffer.from(BSON.serialize(doc)).toString('base64'));
  return parts.join('\n');
}

describe('dataset', () => {
  it('is deterministic: same seed, same bytes; another seed, other data', () => {
    for (const name of ['users', 'recordings', 'friends'] as const) {
      expect(serializeAll({ seed: 5, users: 300 }, name)).toBe(serializeAll({ seed: 5, users: 300 }, name));
    }
    expect(serializeAll({ seed: 6, users: 300 }, 'users')).not.toBe(serializeAll({ seed: 5, users: 300 }, 'users'));
  });

  it('random access gives the same user as streaming', () => {
    const streamed = [...documents(small, 'users')];
    expect(streamed.length).toBe(small.users);
    for (const i of [0, 1, 1234, 2999]) expect(BSON.serialize(user(small, i))).toEqual(BSON.serialize(streamed[i]!));
  });

  it('counts are exact and match datasetCounts; ratios follow the leak', () => {
    const counts = datasetCounts(small);
    for (const name of ['users', 'children', 'pets', 'friends', 'recordings'] as const) {
      let n = 0;
      for (const _ of documents(small, name)) n++;
      expect(n, name).toBe(counts[name]);
    }
    expect(counts.recordings).toBe(Math.round((3000 * FULL_RECORDINGS) / FULL_USERS));
    expect(counts.recordings / counts.users).toBeCloseTo(2182337 / 821396, 2);
    expect(counts.friends / counts.users).toBeCloseTo(371970 / 821396, 2);
    // At full size the totals are the published figures exactly.
    expect(totalRecordings(FULL_USERS)).toBe(2_182_337);
    expect(totalFriends(FULL_USERS)).toBe(371_970);
    expect(FULL_FRIENDS).toBe(371_970);
  });

  it('ids are unique and every reference points at an existing document', () => {
    const ids = new Set<string>();
    const byCollection: Record<string, Set<string>> = {};
    for (const name of ['users', 'children', 'pets', 'friends', 'recordings'] as const) {
      byCollection[name] = new Set();
      for (const doc of documents(small, name)) {
        const id = doc._id.toHexString();
        expect(ids.has(id)).toBe(false);
        ids.add(id);
        byCollection[name].add(id);
      }
    }
    for (const doc of documents(small, 'recordings')) {
      const r = doc as { userId: { toHexString(): string }; childId: { toHexString(): string }; petId: { toHexString(): string } };
      expect(byCollection.users!.has(r.userId.toHexString())).toBe(true);
      expect(byCollection.children!.has(r.childId.toHexString())).toBe(true);
      expect(byCollection.pets!.has(r.petId.toHexString())).toBe(true);
    }
    for (const doc of documents(small, 'friends')) {
      const f = doc as { userId: { toHexString(): string }; friendId: { toHexString(): string } };
      expect(byCollection.users!.has(f.friendId.toHexString())).toBe(true);
      expect(f.friendId.toHexString()).not.toBe(f.userId.toHexString());
    }
  });

  it('e-mails are unique and on reserved domains only; bcrypt cost 10 hashes', () => {
    const emails = new Set<string>();
    for (const doc of documents(small, 'users')) {
      const u = doc as { email: string; password: string; name: string; createdAt: Date };
      expect(u.email).toMatch(/@(example\.(com|net|org)|[a-z0-9-]+\.test)$/);
      expect(emails.has(u.email)).toBe(false);
      emails.add(u.email);
      expect(u.password).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
      expect(bcrypt.getRounds(u.password)).toBe(10);
      expect(u.createdAt.getTime()).toBeLessThan(Date.UTC(2017, 0, 1));
    }
  });

  it('a few percent have a weak password from the tiny list, and their hash really matches it', () => {
    let weak = 0;
    const checked: string[] = [];
    for (let i = 0; i < small.users; i++) {
      const password = weakPasswordOf(small, i);
      if (password === undefined) continue;
      weak++;
      expect(WEAK_PASSWORDS).toContain(password);
      if (checked.length < 4) {
        expect(bcrypt.compareSync(password, user(small, i).password)).toBe(true);
        checked.push(password);
      }
    }
    expect(weak / small.users).toBeGreaterThan(0.02);
    expect(weak / small.users).toBeLessThan(0.07);
    // A strong user's hash matches none of the list (sampled: bcrypt is slow on purpose).
    const strong = [...Array(50).keys()].find((i) => weakPasswordOf(small, i) === undefined)!;
    expect(WEAK_PASSWORDS.slice(0, 3).some((p) => bcrypt.compareSync(p, user(small, strong).password))).toBe(false);
  });

  it('recordings hold the public bucket URL of their key; keys resolve back to their recording', () => {
    for (let i = 0; i < 200; i++) {
      for (const { doc, clip } of recordingsOf(small, i)) {
        expect(doc.url).toBe(`http://bucket.cloudpets.test/${doc.key}`);
        expect(doc.userId.equals(user(small, i)._id)).toBe(true);
        const back = recordingByKey(small, doc.key);
        expect(back?.doc._id.equals(doc._id)).toBe(true);
        expect(back?.clip.file).toBe(clip.file);
      }
    }
    expect(recordingByKey(small, 'recordings/000000000000000000000000/000000000000000000000000.wav')).toBeUndefined();
    expect(userIndexOf(small, user(small, 42)._id.toHexString())).toBe(42);
    expect(userIndexOf({ ...small, seed: 1 }, user(small, 42)._id.toHexString())).toBeUndefined();
  });

  it('random access works at the full size without generating the users before (the last user)', () => {
    const full = { seed: 2016, users: FULL_USERS };
    const last = user(full, FULL_USERS - 1);
    expect(last.createdAt.getTime()).toBeLessThan(Date.UTC(2016, 11, 21));
    const recordingsOfLast = recordingsOf(full, FULL_USERS - 1);
    expect(recordingsOfLast.length).toBeGreaterThanOrEqual(2);
  });

  it('rejects bad sizes and seeds with a clear message', () => {
    expect(() => checkOptions({ users: 0 })).toThrow(DatasetOptionsError);
    expect(() => checkOptions({ users: FULL_USERS + 1 })).toThrow(/users must be an integer from 1 to 821396/);
    expect(() => checkOptions({ seed: -1 })).toThrow(/seed must be an integer/);
    expect(checkOptions({})).toEqual({ seed: 2016, users: 2000 });
  });
});
