import type { Document } from 'bson';
import { Aggregator, Query } from 'mingo';
import { CommandError } from '../errors.ts';
import type { Collection } from '../storage/collection.ts';
import type { Store } from '../storage/store.ts';
import { prepareWhere, type WhereScripts } from './where.ts';

export interface SelectOptions {
  /** The command's $where runner; without it $where is refused. */
  scripts?: WhereScripts;
  sort?: Document;
  skip?: number;
  limit?: number;
}

/** Turns mingo's errors into mongod's codes, so clients see BadValue rather than a crash. */
export function queryError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const message = (error as Error)?.message ?? String(error);
  const stage = /unregistered pipeline operator (\$\w+)/.exec(message);
  if (stage) return new CommandError('Location40324', `Unrecognized pipeline stage name: '${stage[1]}'`);
  const top = /unknown top level operator: (\$\w+)/.exec(message);
  if (top) return new CommandError('BadValue', `unknown top level operator: ${top[1]}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.`);
  return new CommandError('BadValue', message);
}

export function compileFilter(filter: unknown, scripts?: WhereScripts): Query | undefined {
  if (filter === undefined || filter === null) return undefined;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new CommandError('TypeMismatch', `"filter" had the wrong type. Expected object, found ${Array.isArray(filter) ? 'array' : typeof filter}`);
  if (Object.keys(filter).length === 0) return undefined;
  const prepared = prepareWhere(filter as Document, scripts);
  try {
    // mingo calls the prepared $where functions; they run their code in QuickJS, never here.
    return new Query(prepared, { scriptEnabled: prepared !== filter });
  } catch (error) {
    throw queryError(error);
  }
}

/**
 * The documents of `coll` matching `filter`, sorted, skipped and limited. The result holds
 * the stored objects themselves (never copies), so callers can serve their cached BSON.
 * An `_id` equality filter is answered from the _id map, as mongod uses the _id index.
 */
export function selectDocuments(coll: Collection | undefined, filter: unknown, options: SelectOptions = {}): Document[] {
  if (!coll) return [];
  const query = compileFilter(filter, options.scripts);
  let docs: Document[];
  const idValue = idEquality(filter);
  try {
    if (idValue !== undefined) {
      const doc = coll.getById(idValue);
      docs = doc && (!query || query.test(doc)) ? [doc] : [];
    } else if (!query) {
      docs = Array.from(coll.documents());
    } else {
      docs = [];
      for (const doc of coll.documents()) if (query.test(doc)) docs.push(doc);
    }
    if (options.sort && Object.keys(options.sort).length > 0) {
      docs = new Aggregator([{ $sort: options.sort }]).run(docs) as Document[];
    }
  } catch (error) {
    throw queryError(error);
  }
  const skip = options.skip ?? 0;
  const limit = options.limit && options.limit > 0 ? options.limit : undefined;
  if (skip > 0 || limit !== undefined) docs = docs.slice(skip, limit === undefined ? undefined : skip + limit);
  return docs;
}

function idEquality(filter: unknown): unknown {
  if (!filter || typeof filter !== 'object') return undefined;
  const id = (filter as Document)._id;
  if (id === undefined || id === null) return undefined;
  if (typeof id === 'object' && !(id instanceof Date) && !(id as { _bsontype?: string })._bsontype) return undefined;
  return id;
}

export function project(docs: Document[], projection: unknown): Document[] {
  if (!projection || typeof projection !== 'object' || Object.keys(projection).length === 0) return docs;
  try {
    return new Query({}).find(docs, projection as Document).all() as Document[];
  } catch (error) {
    throw queryError(error);
  }
}

/** Runs a pipeline that reads no other collection (an update pipeline). */
export function runDocumentPipeline(input: Document[], pipeline: Document[]): Document[] {
  try {
    return new Aggregator(pipeline, { scriptEnabled: false } as never).run(input) as Document[];
  } catch (error) {
    throw queryError(error);
  }
}

/**
 * Runs a pipeline. $lookup and friends read other collections of the same database, but only
 * those in `readable` (the ones authorization checked); anything else is refused, so a stage
 * the privilege check did not see cannot read admin.system.users. Server-side JavaScript
 * ($function, $accumulator) stays off: it would run in this process.
 */
export function runPipeline(store: Store, db: string, input: Document[], pipeline: Document[], readable: ReadonlySet<string> = new Set()): Document[] {
  try {
    const aggregator = new Aggregator(pipeline, {
      scriptEnabled: false,
      collectionResolver: (name: string) => {
        if (!readable.has(name)) throw new CommandError('Unauthorized', `not authorized on ${db} to read ${db}.${name} from a pipeline`);
        return Array.from(store.collection(db, name)?.documents() ?? []);
      },
    } as never);
    return aggregator.run(input) as Document[];
  } catch (error) {
    throw queryError(error);
  }
}
