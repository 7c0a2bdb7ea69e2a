/**
 * `db.<name>`: mongosh's collection methods on top of the driver, returning the result
 * objects mongosh prints ({ acknowledged, insertedId } ...).
 */
import { MongoServerError, type Db, type Document } from 'mongodb';
import { inspect } from 'node:util';
import { ShellCursor } from './shell-cursor.ts';

export class ShellCollection {
  readonly _db: Db;
  readonly _name: string;

  constructor(db: Db, name: string) {
    this._db = db;
    this._name = name;
  }

  get #coll() {
    return this._db.collection(this._name);
  }

  getName(): string {
    return this._name;
  }
  getFullName(): string {
    return `${this._db.databaseName}.${this._name}`;
  }

  find(filter: Document = {}, projection?: Document, options: Document = {}): ShellCursor {
    const cursor = this.#coll.find(filter, { ...options, ...(projection ? { projection } : {}) });
    return new ShellCursor(cursor, 'Cursor', () => this.#coll.countDocuments(filter));
  }
  async findOne(filter: Document = {}, projection?: Document, options: Document = {}): Promise<Document | null> {
    return this.#coll.findOne(filter, { ...options, ...(projection ? { projection } : {}) });
  }
  async countDocuments(filter: Document = {}, options: Document = {}): Promise<number> {
    return this.#coll.countDocuments(filter, options);
  }
  async estimatedDocumentCount(): Promise<number> {
    return this.#coll.estimatedDocumentCount();
  }
  async count(filter: Document = {}): Promise<number> {
    return this.#coll.countDocuments(filter);
  }
  async distinct(field: string, filter: Document = {}): Promise<unknown[]> {
    return this.#coll.distinct(field, filter);
  }
  aggregate(pipeline: Document[] | Document = [], ...more: Document[]): ShellCursor {
    // mongosh accepts aggregate(stage1, stage2, ...) as well as aggregate([stages]).
    const stages = Array.isArray(pipeline) ? pipeline : [pipeline, ...more];
    return new ShellCursor(this.#coll.aggregate(stages), 'AggregationCursor');
  }
  async insertOne(doc: Document): Promise<Document> {
    const result = await this.#coll.insertOne(doc);
    return { acknowledged: result.acknowledged, insertedId: result.insertedId };
  }
  async insertMany(docs: Document[]): Promise<Document> {
    const result = await this.#coll.insertMany(docs);
    return { acknowledged: result.acknowledged, insertedIds: { ...result.insertedIds } };
  }
  async updateOne(filter: Document, update: Document, options: Document = {}): Promise<Document> {
    return updateResult(await this.#coll.updateOne(filter, update, options));
  }
  async updateMany(filter: Document, update: Document, options: Document = {}): Promise<Document> {
    return updateResult(await this.#coll.updateMany(filter, update, options));
  }
  async replaceOne(filter: Document, replacement: Document, options: Document = {}): Promise<Document> {
    return updateResult(await this.#coll.replaceOne(filter, replacement, options));
  }
  async deleteOne(filter: Document = {}): Promise<Document> {
    const result = await this.#coll.deleteOne(filter);
    return { acknowledged: result.acknowledged, deletedCount: result.deletedCount };
  }
  async deleteMany(filter: Document = {}): Promise<Document> {
    const result = await this.#coll.deleteMany(filter);
    return { acknowledged: result.acknowledged, deletedCount: result.deletedCount };
  }
  /** true when dropped, false when there was no such collection (as mongosh). */
  async drop(): Promise<boolean> {
    try {
      return await this.#coll.drop();
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 26) return false;
      throw error;
    }
  }
  async createIndex(keys: Document, options: Document = {}): Promise<string> {
    return this.#coll.createIndex(keys, options);
  }
  async getIndexes(): Promise<Document[]> {
    return this.#coll.indexes();
  }

  toString(): string {
    return this.getFullName();
  }
  [inspect.custom](): string {
    return this.getFullName();
  }
}

function updateResult(result: { acknowledged: boolean; matchedCount: number; modifiedCount: number; upsertedCount: number; upsertedId: unknown }): Document {
  return {
    acknowledged: result.acknowledged,
    insertedId: result.upsertedId ?? null,
    matchedCount: result.matchedCount,
    modifiedCount: result.modifiedCount,
    upsertedCount: result.upsertedCount,
  };
}

/** `db.users.profiles` is the collection "users.profiles", as in the shell. */
export function collectionProxy(collection: ShellCollection): ShellCollection {
  return new Proxy(collection, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || prop in target || prop === 'then' || prop.startsWith('_')) {
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return collectionProxy(new ShellCollection(target._db, `${target._name}.${prop}`));
    },
  });
}
