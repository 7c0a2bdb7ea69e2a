import { EJSON } from 'bson';

/**
 * A string that is equal for two values exactly when mongod would call them the same key
 * (for _id and unique indexes). Numbers of any BSON width compare by value, as in mongod.
 */
export function keyOf(value: unknown): string {
  if (typeof value === 'string') return `s:${value}`;
  if (typeof value === 'number') return `n:${value}`;
  if (typeof value === 'bigint') return `n:${Number(value)}`;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') {
    const bsonType = (value as { _bsontype?: string })._bsontype;
    if (bsonType === 'ObjectId') return `o:${(value as { toHexString(): string }).toHexString()}`;
    if (value instanceof Date) return `d:${value.getTime()}`;
  }
  return `j:${EJSON.stringify(value as never, { relaxed: false })}`;
}
