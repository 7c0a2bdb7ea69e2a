import { deserialize, Long, ObjectId, serialize, type Document } from 'bson';
import { update as mingoUpdate } from 'mingo';
import { resolve, setValue } from 'mingo/util';
import { CommandError } from '../errors.ts';
import { keyOf } from '../storage/id-key.ts';
import { runDocumentPipeline } from './select.ts';

/**
 * An update as the client sent it: operators, a replacement or a pipeline. Read with int64
 * values kept as Long (see commands/helpers/int64-command.ts), so `$set: {n: Long(5)}` writes
 * an int64, as mongod does.
 */
export type UpdateSpec = Document | Document[];

/** The stages mongod accepts in an update pipeline; none of them reads another collection. */
const UPDATE_PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

/** Operators that do arithmetic or comparisons: mingo needs plain numbers there. */
const NUMERIC_OPERATORS = ['$inc', '$mul', '$min', '$max'];

function isOperatorUpdate(u: Document): boolean {
  const keys = Object.keys(u);
  if (keys.length === 0 || !keys[0]!.startsWith('$')) {
    const op = keys.find((k) => k.startsWith('$'));
    if (op) throw new CommandError('DollarPrefixedFieldName', `The dollar ($) prefixed field '${op}' in '${op}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`);
    return false;
  }
  const plain = keys.find((k) => !k.startsWith('$'));
  if (plain) throw new CommandError('FailedToParse', `Unknown modifier: ${plain}. Expected a valid update modifier or pipeline-style update specified as an array`);
  return true;
}

function checkUpdatePipeline(u: Document[]): void {
  for (const stage of u) {
    const name = stage && typeof stage === 'object' ? Object.keys(stage)[0] : undefined;
    if (!name || !UPDATE_PIPELINE_STAGES.has(name)) throw new CommandError('InvalidOptions', `${name ?? 'A stage'} is not allowed to be used within an update`);
  }
}

/**
 * A document as it will be stored: its BSON (int64 values written as the update made them)
 * and the object read back from it, whose int64 values are numbers like every other stored
 * document's, so later queries compare them as numbers.
 */
export function asStored(doc: Document): { doc: Document; raw: Uint8Array } {
  const raw = serialize(doc);
  return { doc: deserialize(raw), raw };
}

/** A fresh, independent copy of a stored document (BSON round trip keeps every type). */
export function copyDocument(doc: Document, raw?: Uint8Array): Document {
  return deserialize(raw ?? serialize(doc));
}

function isLong(value: unknown): value is Long {
  return value instanceof Long || (value as { _bsontype?: string } | null)?._bsontype === 'Long';
}

/**
 * Applies update operators. `stored` is the document before the update with int64 kept as
 * Long: $inc on an int64 field, or by an int64 amount, gives an int64 computed exactly,
 * as in mongod, where mingo would give a JS number.
 */
function applyOperators(target: Document, u: Document, arrayFilters: Document[] | undefined, inserting: boolean, stored: Document | undefined): void {
  const modifier: Document = { ...u };
  const onInsert = modifier.$setOnInsert as Document | undefined;
  delete modifier.$setOnInsert;
  if (inserting && onInsert) modifier.$set = { ...(modifier.$set as Document | undefined), ...onInsert };
  if (Object.keys(modifier).length === 0) return;
  const longIncrements: [string, unknown][] = [];
  for (const op of NUMERIC_OPERATORS) {
    const spec = modifier[op] as Document | undefined;
    if (!spec || typeof spec !== 'object') continue;
    modifier[op] = Object.fromEntries(Object.entries(spec).map(([path, value]) => {
      if (op === '$inc' && !path.includes('$')) longIncrements.push([path, value]);
      return [path, isLong(value) ? value.toNumber() : value];
    }));
  }
  try {
    mingoUpdate(target, modifier, arrayFilters);
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown update operator: '(\$\w+)'/.exec(message);
    if (unknown) throw new CommandError('FailedToParse', `Unknown modifier: ${unknown[1]}. Expected a valid update modifier or pipeline-style update specified as an array`);
    if (message.includes("immutable field '_id'")) throw new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
    throw new CommandError('BadValue', message);
  }
  for (const [path, amount] of longIncrements) {
    const before = stored ? resolve(stored, path) : undefined;
    if (!isLong(amount) && !isLong(before)) continue;
    const integral = (v: unknown) => isLong(v) || (typeof v === 'number' && Number.isInteger(v)) || v === undefined;
    if (!integral(before) || !integral(amount)) continue; // a double involved: the result is a double
    const sum = BigInt.asIntN(64, toBigInt(before) + toBigInt(amount));
    setValue(target, path, Long.fromBigInt(sum));
  }
}

function toBigInt(value: unknown): bigint {
  if (value === undefined) return 0n;
  if (isLong(value)) return value.toBigInt();
  return BigInt(value as number);
}

function idFirst(doc: Document): Document {
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/**
 * The document `old` becomes under `u` (operators, a replacement or a pipeline), never
 * modifying `old` itself. Changing _id is refused with mongod's ImmutableField error.
 */
export function updatedDocument(old: Document, oldRaw: Uint8Array | undefined, u: UpdateSpec, arrayFilters?: Document[]): Document {
  const stored = oldRaw ? deserialize(oldRaw, { promoteLongs: false }) : undefined;
  let next: Document;
  if (Array.isArray(u)) {
    checkUpdatePipeline(u);
    next = runDocumentPipeline([copyDocument(old, oldRaw)], u)[0] ?? {};
  } else if (isOperatorUpdate(u)) {
    next = copyDocument(old, oldRaw);
    applyOperators(next, u, arrayFilters, false, stored);
  } else {
    next = { _id: old._id, ...u };
  }
  if (next._id === undefined) next._id = old._id;
  if (keyOf(next._id) !== keyOf(old._id)) {
    throw new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  if (stored) keepInt64(next, stored);
  return idFirst(next);
}

/**
 * Queries and operators work on plain numbers, so reading a stored document turns its int64
 * values into numbers, and writing it back would store them as int32 or double. mongod leaves
 * the type of a field the update did not touch alone: where the updated document still holds
 * the stored value, put the stored int64 back. (A field an operator changed keeps the type
 * the operator produced.)
 */
function keepInt64(next: Document, stored: Document): void {
  for (const [key, before] of Object.entries(stored)) {
    const after = next[key];
    if (isLong(before)) {
      if (typeof after === 'number' && after === before.toNumber()) next[key] = before;
    } else if (before && after && typeof before === 'object' && typeof after === 'object' && !(before as { _bsontype?: string })._bsontype && !(before instanceof Date)) {
      keepInt64(after as Document, before as Document);
    }
  }
}

/** The document an upsert inserts: the query's equality fields, then the update applied. */
export function upsertDocument(query: Document, u: UpdateSpec, arrayFilters?: Document[]): Document {
  const base: Document = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (key.startsWith('$')) continue;
    if (value && typeof value === 'object' && !Array.isArray(value) && !(value as { _bsontype?: string })._bsontype && !(value instanceof Date)) {
      const ops = Object.keys(value);
      if (ops.some((k) => k.startsWith('$'))) {
        if ('$eq' in value) setValue(base, key, (value as Document).$eq);
        continue;
      }
    }
    setValue(base, key, value);
  }
  let doc: Document;
  if (Array.isArray(u)) {
    checkUpdatePipeline(u);
    doc = runDocumentPipeline([base], u)[0] ?? base;
  } else if (isOperatorUpdate(u)) {
    doc = base;
    applyOperators(doc, u, arrayFilters, true, undefined);
  } else {
    doc = { ...(base._id !== undefined ? { _id: base._id } : {}), ...u };
  }
  if (doc._id === undefined) doc._id = new ObjectId();
  return idFirst(doc);
}
