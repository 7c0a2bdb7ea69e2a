import { describe, expect, it } from 'vitest';
import { Binary, BSONRegExp, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp, deserialize, serialize } from 'bson';
import { rawArrayElements, rawWithIdFirst } from '../../sandboxes/database/wire/raw-bson.ts';

// Every type a command body may hold, before the field we look for, so skipping them is tested.
const everyType = {
  d: 1.5, s: 'text', o: { a: 1 }, a: [1, 'x'], b: new Binary(Buffer.from('bin')), u: undefined, id: new ObjectId(),
  t: true, date: new Date(0), n: null, re: new BSONRegExp('^a', 'i'), i: 42, ts: new Timestamp({ t: 1, i: 2 }),
  l: Long.fromNumber(9), dec: Decimal128.fromString('1.25'), min: new MinKey(), max: new MaxKey(),
};

describe('raw BSON documents', () => {
  it('slices the documents of an array field exactly as sent, past every other element type', () => {
    const docs = [{ _id: 1, total: Long.fromNumber(5) }, { _id: 2, nested: { big: Long.fromNumber(7) } }];
    const body = Buffer.from(serialize({ insert: 'c', ...everyType, documents: docs, ordered: true }, { ignoreUndefined: false }));
    const raws = rawArrayElements(body, 'documents')!;
    expect(raws).toHaveLength(2);
    expect(raws.map((raw) => Buffer.from(raw).toString('hex'))).toEqual(docs.map((doc) => Buffer.from(serialize(doc)).toString('hex')));
    expect(deserialize(raws[0]!, { promoteLongs: false }).total).toBeInstanceOf(Long);
  });

  it('gives nothing for a missing field, or an array that holds anything but documents', () => {
    expect(rawArrayElements(Buffer.from(serialize({ insert: 'c' })), 'documents')).toBeUndefined();
    expect(rawArrayElements(Buffer.from(serialize({ documents: [{ a: 1 }, 2] })), 'documents')).toBeUndefined();
    expect(rawArrayElements(Buffer.from(serialize({ documents: 'no' })), 'documents')).toBeUndefined();
  });

  it('moves _id to the front without re-encoding anything else', () => {
    const id = new ObjectId();
    const raw = Buffer.from(serialize({ total: Long.fromNumber(5), name: 'x', _id: id, tail: 1 }));
    const moved = rawWithIdFirst(raw)!;
    expect(moved.toString('hex')).toBe(Buffer.from(serialize({ _id: id, total: Long.fromNumber(5), name: 'x', tail: 1 })).toString('hex'));
    expect(rawWithIdFirst(Buffer.from(serialize({ a: 1 })))).toBeUndefined();
  });
});
