import { deserialize, serialize, type Document } from 'bson';
import { resolve } from 'mingo/util';
import { CommandError } from '../errors.ts';
import { keyOf } from './id-key.ts';
import { idKeyOfRaw } from './raw-id.ts';

export interface IndexSpec {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  [option: string]: unknown;
}

/** One stored document: its BSON always, its deserialized form once something needed it. */
interface Entry {
  raw: Uint8Array;
  doc: Document | undefined;
}

/**
 * One collection held in memory.
 *
 * Why this layout: every document is kept as the BSON bytes it is served as (a dump copies
 * bytes, it never re-encodes), and is deserialized only when a query, update or index needs
 * to look inside it; the object is then kept for the next query. A restart therefore reads
 * a snapshot without deserializing 821,396 accounts, and a collection that is only dumped
 * never pays for JavaScript objects. Natural order is insertion order, as the Map keeps it.
 */
export class Collection {
  readonly options: Document;
  indexes: IndexSpec[];
  private readonly byId = new Map<string, Entry>();
  private readonly entryOfDoc = new WeakMap<Document, Entry>();
  /** One map per unique secondary index: index key -> document. */
  private readonly uniqueMaps = new Map<string, Map<string, Document>>();

  constructor(
    readonly db: string,
    readonly name: string,
    options: Document = {},
    indexes?: IndexSpec[],
  ) {
    this.options = options;
    this.indexes = indexes ? indexes.map((i) => ({ ...i })) : [{ v: 2, key: { _id: 1 }, name: '_id_' }];
    for (const index of this.indexes) if (index.unique && index.name !== '_id_') this.uniqueMaps.set(index.name, new Map());
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.byId.size;
  }

  /** Every document, deserialized on first use. */
  *documents(): IterableIterator<Document> {
    for (const entry of this.byId.values()) yield this.docOf(entry);
  }

  /** Every document's BSON, without deserializing anything. */
  raws(): Uint8Array[] {
    const out: Uint8Array[] = new Array(this.byId.size);
    let i = 0;
    for (const entry of this.byId.values()) out[i++] = entry.raw;
    return out;
  }

  getById(id: unknown): Document | undefined {
    const entry = this.byId.get(keyOf(id));
    return entry ? this.docOf(entry) : undefined;
  }

  /** The stored BSON of a document from this collection (encoded on the spot for others). */
  rawOf(doc: Document): Uint8Array {
    return this.entryOfDoc.get(doc)?.raw ?? serialize(doc);
  }

  dataSize(): number {
    let total = 0;
    for (const entry of this.byId.values()) total += entry.raw.length;
    return total;
  }

  /** Throws DuplicateKey (11000) with mongod's message when a unique key is taken. */
  checkInsert(doc: Document, replacing?: Document): void {
    const id = keyOf(doc._id);
    // An update never changes _id, so the entry under the same key is the one being replaced.
    if (this.byId.has(id) && (!replacing || keyOf(replacing._id) !== id)) throw this.duplicate('_id_', { _id: doc._id });
    for (const [name, map] of this.uniqueMaps) {
      const index = this.indexes.find((i) => i.name === name)!;
      const holder = map.get(this.indexKey(index, doc));
      if (holder && holder !== replacing) throw this.duplicate(name, this.indexValues(index, doc));
    }
  }

  insert(doc: Document, raw?: Uint8Array): void {
    this.checkInsert(doc);
    const entry: Entry = { raw: raw ?? serialize(doc), doc };
    this.byId.set(keyOf(doc._id), entry);
    this.entryOfDoc.set(doc, entry);
    this.indexUnique(doc);
  }

  /**
   * Loads stored bytes (snapshot and journal replay), replacing a document with the same _id.
   * Unique indexes need the values, so only their collections deserialize here.
   */
  putRaw(raw: Uint8Array): void {
    const key = idKeyOfRaw(raw);
    const old = this.byId.get(key);
    if (old) this.remove(this.docOf(old));
    const entry: Entry = { raw, doc: undefined };
    this.byId.set(key, entry);
    if (this.uniqueMaps.size > 0) this.indexUnique(this.docOf(entry));
  }

  removeById(id: unknown): void {
    const entry = this.byId.get(keyOf(id));
    if (entry) this.remove(this.docOf(entry));
  }

  replace(oldDoc: Document, newDoc: Document, raw?: Uint8Array): void {
    this.checkInsert(newDoc, oldDoc);
    this.remove(oldDoc);
    // A replaced document moves to the end of natural order, as a grown document may in
    // mongod; nothing may rely on natural order.
    this.insert(newDoc, raw);
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
      for (const doc of this.documents()) {
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

  private docOf(entry: Entry): Document {
    if (!entry.doc) {
      entry.doc = deserialize(entry.raw);
      this.entryOfDoc.set(entry.doc, entry);
    }
    return entry.doc;
  }

  private indexUnique(doc: Document): void {
    for (const [name, map] of this.uniqueMaps) map.set(this.indexKey(this.indexes.find((i) => i.name === name)!, doc), doc);
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
