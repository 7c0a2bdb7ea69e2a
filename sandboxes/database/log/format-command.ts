import type { Document } from 'bson';
import { EJSON } from 'bson';

const SECRET_FIELDS = new Set(['pwd', 'payload', 'speculativeAuthenticate']);

const MAX_DEPTH = 12;
const MAX_ITEMS = 50;

/** A bounded copy: deep or wide values are cut, so no client can make a log line explode. */
function bounded(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date || (value as { _bsontype?: string })._bsontype) return value;
  if (depth >= MAX_DEPTH) return '...';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => bounded(v, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`... ${value.length - MAX_ITEMS} more`);
    return items;
  }
  const out: Document = {};
  let n = 0;
  for (const [k, v] of Object.entries(value)) {
    if (n++ >= MAX_ITEMS) {
      out['...'] = 'more fields';
      break;
    }
    out[k] = bounded(v, depth + 1);
  }
  return out;
}

/**
 * A command as it may appear in a log line or an error: secrets replaced by "###", as mongod
 * redacts, and cut to a bounded depth and width.
 */
export function redactCommand(cmd: Document, omit: Iterable<string> = []): Document {
  const skip = new Set(omit);
  const out: Document = {};
  for (const [key, value] of Object.entries(cmd)) {
    if (skip.has(key)) continue;
    out[key] = SECRET_FIELDS.has(key) ? '###' : bounded(value, 1);
  }
  return out;
}

/** mongod's BSON-to-string shell notation for "not authorized ... to execute command { ... }". */
export function shellNotation(value: unknown, depth = 0): string {
  if (depth > 4) return '...';
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (Array.isArray(value)) {
    const items = value.slice(0, 10).map((v) => shellNotation(v, depth + 1));
    if (value.length > 10) items.push('...');
    return `[ ${items.join(', ')} ]`;
  }
  const bsonType = (value as { _bsontype?: string })._bsontype;
  if (bsonType === 'ObjectId') return `ObjectId('${(value as { toHexString(): string }).toHexString()}')`;
  if (bsonType === 'Binary' && (value as { sub_type?: number }).sub_type === 4) {
    return `UUID("${(value as { toUUID(): { toString(): string } }).toUUID().toString()}")`;
  }
  if (bsonType) return EJSON.stringify(value as never);
  const entries = Object.entries(value as Document).map(([k, v]) => `${k}: ${shellNotation(v, depth + 1)}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}
