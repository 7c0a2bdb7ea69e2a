import { serialize, type Document } from 'bson';
import { resolve } from 'mingo/util';
import { CommandError } from '../errors.ts';
import { keyOf } from './id-key.ts';

export interface IndexSpec {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  [option: string]: unknown;
}

/**
 * One collection held in memory. Documents stay deserialized (queries run on them through
 * mingo) and their BSON bytes are kept beside them, so a find streams stored bytes instead of
 * re-encoding every document. Natural order is insertion order, as the Map keeps it.
 */
export class Collection {
  readonly options: Document;
  indexes: IndexSpec[];
  private readonly byId = new Map<string, Document>();
  private readonly rawBytes = new WeakMap<Document, Uint8Array>();
  /** One map per unique secondary index: index key -> document. */
  private readonly uniqueMaps = new Map<string, Map<string, Document>>();

  constructor(
    readonly db: string,
    readonly name: string,
    options: Document = {},
    indexes?: IndexSpec[],
  ) {
    this.options = options;
    this.indexes = indexes ?? [{ v: 2, key: { _id: 1 }, name: '_id_' }];
    for (const index of this.indexes) if (index.unique && index.name !== '_id_') this.uniqueMaps.set(index.name, new Map());
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.byId.size;
  }

  documents(): IterableIterator<Document> {
    return this.byId.values();
  }

  getById(id: unknown): Document | undefined {
    return this.byId.get(keyOf(id));
  }

  /** The document's BSON, encoded once and cached until the document is replaced. */
  rawOf(doc: Document): Uint8Array {
    let raw = this.rawBytes.get(doc);
    if (!raw) {
      raw = serialize(doc);
      this.rawBytes.set(doc, raw);
    }
    return raw;
  }

  dataSize(): number {
    let total = 0;
    for (const doc of this.byId.values()) total += this.rawOf(doc).length;
    return total;
  }

  /** Throws DuplicateKey (11000) with mongod's message when a unique key is taken. */
  checkInsert(doc: Document, replacing?: Document): void {
    const id = keyOf(doc._id);
    const existing = this.byId.get(id);
    if (existing && existing !== replacing) throw this.duplicate('_id_', { _id: doc._id });
    for (const [name, map] of this.uniqueMaps) {
      const index = this.indexes.find((i) => i.name === name)!;
      const holder = map.get(this.indexKey(index, doc));
      if (holder && holder !== replacing) throw this.duplicate(name, this.indexValues(index, doc));
    }
  }

  insert(doc: Document, raw?: Uint8Array): void {
    this.checkInsert(doc);
    this.byId.set(keyOf(doc._id), doc);
    if (raw) this.rawBytes.set(doc, raw);
    for (const [name, map] of this.uniqueMaps) map.set(this.indexKey(this.indexes.find((i) => i.name === name)!, doc), doc);
  }

  replace(oldDoc: Document, newDoc: Document): void {
    this.checkInsert(newDoc, oldDoc);
    this.remove(oldDoc);
    this.insertInPlaceOf(newDoc);
  }

  remove(doc: Document): void {
    this.byId.delete(keyOf(doc._id));
    for (const [name, map] of this.uniqueMaps) {
      const key = this.indexKey(this.indexes.find((i) => i.name === name)!, doc);
      if (map.get(key) === doc) map.delete(key);
    }
  }

  /** Adds an index, building unique maps first so a duplicate refuses the whole index. */
  addIndex(spec: IndexSpec): void {
    if (spec.unique && spec.name !== '_id_') {
      const map = new Map<string, Document>();
      for (const doc of this.byId.values()) {
        const key = this.indexKey(spec, doc);
        if (map.has(key)) throw this.duplicate(spec.name, this.indexValues(spec, doc));
        map.set(key, doc);
      }
      this.uniqueMaps.set(spec.name, map);
    }
    this.indexes.push(spec);
  }

  dropIndex(name: string): void {
    this.indexes = this.indexes.filter((i) => i.name !== name);
    this.uniqueMaps.delete(name);
  }

  private insertInPlaceOf(doc: Document): void {
    // Map keeps insertion order; a replaced document moves to the end, as an updated
    // document that grew can in mongod's natural order. Nobody may rely on natural order.
    this.insert(doc);
  }

  private indexValues(index: IndexSpec, doc: Document): Document {
    const values: Document = {};
    for (const field of Object.keys(index.key)) values[field] = resolve(doc, field) ?? null;
    return values;
  }

  private indexKey(index: IndexSpec, doc: Document): string {
    return Object.keys(index.key)
      .map((field) => keyOf(resolve(doc, field)))
      .join('\u0000');
  }

  private duplicate(indexName: string, values: Document): CommandError {
    const keyText = Object.entries(values)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join(', ');
    return new CommandError(
      'DuplicateKey',
      `E11000 duplicate key error collection: ${this.ns} index: ${indexName} dup key: { ${keyText} }`,
    );
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value && typeof value === 'object' && (value as { _bsontype?: string })._bsontype === 'ObjectId') {
    return `ObjectId('${(value as { toHexString(): string }).toHexString()}')`;
  }
  return String(value);
}
