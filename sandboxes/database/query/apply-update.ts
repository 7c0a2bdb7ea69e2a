import { deserialize, Long, ObjectId, serialize, type Document } from 'bson';
import { update as mingoUpdate } from 'mingo';
import { setValue } from 'mingo/util';
import { CommandError } from '../errors.ts';
import type { Store } from '../storage/store.ts';
import { keyOf } from '../storage/id-key.ts';
import { runPipeline } from './select.ts';

export type UpdateSpec = Document | Document[];

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

/** A fresh, independent copy of a stored document (BSON round trip keeps every type). */
export function copyDocument(doc: Document, raw?: Uint8Array): Document {
  return deserialize(raw ?? serialize(doc));
}

function applyOperators(target: Document, u: Document, arrayFilters: Document[] | undefined, inserting: boolean): void {
  const modifier: Document = { ...u };
  const onInsert = modifier.$setOnInsert as Document | undefined;
  delete modifier.$setOnInsert;
  if (inserting && onInsert) modifier.$set = { ...(modifier.$set as Document | undefined), ...onInsert };
  if (Object.keys(modifier).length === 0) return;
  try {
    mingoUpdate(target, modifier, arrayFilters);
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown update operator: '(\$\w+)'/.exec(message);
    if (unknown) throw new CommandError('FailedToParse', `Unknown modifier: ${unknown[1]}. Expected a valid update modifier or pipeline-style update specified as an array`);
    if (message.includes("immutable field '_id'")) throw new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
    throw new CommandError('BadValue', message);
  }
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
export function updatedDocument(store: Store, db: string, old: Document, oldRaw: Uint8Array | undefined, u: UpdateSpec, arrayFilters?: Document[]): Document {
  let next: Document;
  if (Array.isArray(u)) {
    next = runPipeline(store, db, [copyDocument(old, oldRaw)], u)[0] ?? {};
  } else if (isOperatorUpdate(u)) {
    next = copyDocument(old, oldRaw);
    applyOperators(next, u, arrayFilters, false);
  } else {
    next = { _id: old._id, ...u };
  }
  if (next._id === undefined) next._id = old._id;
  if (keyOf(next._id) !== keyOf(old._id)) {
    throw new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  if (oldRaw) keepInt64(next, deserialize(oldRaw, { promoteLongs: false }));
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
    if (before instanceof Long) {
      if (typeof after === 'number' && after === before.toNumber()) next[key] = before;
    } else if (before && after && typeof before === 'object' && typeof after === 'object' && !(before as { _bsontype?: string })._bsontype && !(before instanceof Date)) {
      keepInt64(after as Document, before as Document);
    }
  }
}

/** The document an upsert inserts: the query's equality fields, then the update applied. */
export function upsertDocument(store: Store, db: string, query: Document, u: UpdateSpec, arrayFilters?: Document[]): Document {
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
  if (Array.isArray(u)) doc = runPipeline(store, db, [base], u)[0] ?? base;
  else if (isOperatorUpdate(u)) {
    doc = base;
    applyOperators(doc, u, arrayFilters, true);
  } else {
    doc = { ...(base._id !== undefined ? { _id: base._id } : {}), ...u };
  }
  if (doc._id === undefined) doc._id = new ObjectId();
  return copyDocument(idFirst(doc));
}
