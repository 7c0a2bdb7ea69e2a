/**
 * Prints values the way mongosh does: node:util.inspect (depth 6, full depth for cursor
 * batches), Dates as ISODate('...'), BSON values without `new ` (ObjectId('...'), Long('5')),
 * single-quoted strings, and its tables for `show dbs` / `show collections`.
 * mongosh does the same thing by patching the same inspect hooks (shell-bson printable-bson).
 */
// The driver's own BSON classes: a separate `import 'bson'` can load a second copy (ESM vs CJS
// build) whose prototypes the driver's values do not share.
import { BSON } from 'mongodb';
import { inspect, type InspectOptions } from 'node:util';

const custom = Symbol.for('nodejs.util.inspect.custom');
const patched = Symbol.for('cloudpets.mongosh.printable');

type Inspectable = { [custom]?: (...args: unknown[]) => string; [patched]?: boolean };

/** Makes BSON values print as mongosh prints them. Idempotent; affects only inspect output. */
export function installPrintableBson(): void {
  const { Binary, BSONRegExp, Code, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp, UUID } = BSON;
  for (const cls of [ObjectId, Long, Decimal128, Int32, Double, Timestamp, UUID, Binary, MinKey, MaxKey, BSONRegExp, Code]) {
    const proto = cls.prototype as unknown as Inspectable;
    if (proto[patched]) continue;
    const original = proto[custom];
    if (typeof original !== 'function') continue;
    proto[custom] = function (this: unknown, ...args: unknown[]) {
      return String(original.apply(this, args)).replace(/^(\s*)new /, '$1');
    };
    proto[patched] = true;
  }
}
installPrintableBson();

export interface FormatOptions {
  colors?: boolean;
  /** Cursor batches and --eval results print at full depth, like mongosh. */
  fullDepth?: boolean;
}

function dateInspect(this: Date): string {
  return Number.isNaN(this.valueOf()) ? 'Invalid Date' : `ISODate('${this.toISOString()}')`;
}

export function formatValue(value: unknown, options: FormatOptions = {}): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  const inspectOptions: InspectOptions = {
    colors: options.colors ?? false,
    depth: options.fullDepth ? Infinity : 6,
    ...(options.fullDepth ? { maxArrayLength: Infinity, maxStringLength: Infinity } : {}),
  };
  const dateProto = Date.prototype as unknown as Inspectable;
  const before = dateProto[custom];
  dateProto[custom] = dateInspect;
  try {
    return inspect(value, inspectOptions);
  } finally {
    if (before) dateProto[custom] = before;
    else delete dateProto[custom];
  }
}

/** mongosh's `show dbs` size column: bytes up to 1000, then binary units with two decimals. */
export function formatBytes(bytes: number): string {
  if (bytes <= 1000) return `${Math.round(bytes)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

/** Two columns, first left-aligned, second right-aligned, two spaces apart (text-table). */
export function formatTable(rows: [string, string][]): string {
  const left = Math.max(0, ...rows.map(([a]) => a.length));
  const right = Math.max(0, ...rows.map(([, b]) => b.length));
  return rows.map(([a, b]) => (b ? `${a.padEnd(left)}  ${b.padStart(right)}` : a)).join('\n');
}

/** "MongoServerError[Unauthorized]: Command listDatabases requires authentication" */
export function formatError(error: unknown): string {
  const err = error as { name?: string; codeName?: string; message?: string };
  if (!err || typeof err !== 'object') return `Uncaught ${formatValue(error)}`;
  const name = err.name ?? 'Error';
  const codeName = err.codeName ? `[${err.codeName}]` : '';
  return `${name}${codeName}: ${err.message ?? ''}`;
}
