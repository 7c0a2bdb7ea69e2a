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

/**
 * One collection held in memory.
 *
 * Why this layout: every document is kept as the BSON bytes it is served as (a dump copies
 * bytes, it never re-encodes), and is deserialized only when a query, update or index needs
 * to look inside it; the object is then kept for the next query. The bytes live in shared
 * slabs (the snapshot file's buffer, or 4 MB append slabs) addressed by slot numbers in typed
 * arrays, so 821,396 stored accounts cost one key string each to the garbage collector
 * instead of several objects. Slots are never reused and bytes never move, so an open cursor
 * keeps seeing the documents as they were when it was opened. Replaced and deleted documents
 * leave their bytes in the slabs until the next restart, a fair price at lab sizes.
 * Natural order is insertion order, as the Map keeps it.
 */
export class Collection {
  readonly options: Document;
  indexes: IndexSpec[];
  /** _id key -> slot. */
  private readonly slotOf = new Map<string, number>();
  private readonly slabs: Uint8Array[] = [];
  private slabOfSlot = new Uint32Array(256);
  private offsetOfSlot = new Uint32Array(256);
  private lengthOfSlot = new Uint32Array(256);
  private slotCount = 0;
  /** Deserialized documents by slot, filled on first use. */
  private readonly docs: (Document | undefined)[] = [];
  private readonly slotOfDoc = new WeakMap<Document, number>();
  private appendSlab = -1;
  private appendUsed = 0;
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
    return this.slotOf.size;
  }

  /** Every document, deserialized on first use. */
  *documents(): IterableIterator<Document> {
    for (const slot of this.slotOf.values()) yield this.docAt(slot);
  }

  /** The slots of every document in natural order (a dump serves them with rawAt). */
  slots(): Uint32Array {
    const out = new Uint32Array(this.slotOf.size);
    let i = 0;
    for (const slot of this.slotOf.values()) out[i++] = slot;
    return out;
  }

  /** The stored bytes of a slot (a view, not a copy). */
  rawAt(slot: number): Uint8Array {
    const offset = this.offsetOfSlot[slot]!;
    return this.slabs[this.slabOfSlot[slot]!]!.subarray(offset, offset + this.lengthOfSlot[slot]!);
  }

  /** Every document's BSON, without deserializing anything. */
  raws(): Uint8Array[] {
    return Array.from(this.slots(), (slot) => this.rawAt(slot));
  }

  getById(id: unknown): Document | undefined {
    const slot = this.slotOf.get(keyOf(id));
    return slot === undefined ? undefined : this.docAt(slot);
  }

  /** The stored BSON of a document from this collection (encoded on the spot for others). */
  rawOf(doc: Document): Uint8Array {
    const slot = this.slotOfDoc.get(doc);
    return slot === undefined ? serialize(doc) : this.rawAt(slot);
  }

  dataSize(): number {
    let total = 0;
    for (const slot of this.slotOf.values()) total += this.lengthOfSlot[slot]!;
    return total;
  }

  /** Throws DuplicateKey (11000) with mongod's message when a unique key is taken. */
  checkInsert(doc: Document, replacing?: Document): void {
    const id = keyOf(doc._id);
    // An update never changes _id, so the entry under the same key is the one being replaced.
    if (this.slotOf.has(id) && (!replacing || keyOf(replacing._id) !== id)) throw this.duplicate('_id_', { _id: doc._id });
    for (const [name, map] of this.uniqueMaps) {
      const index = this.indexes.find((i) => i.name === name)!;
      const holder = map.get(this.indexKey(index, doc));
      if (holder && holder !== replacing) throw this.duplicate(name, this.indexValues(index, doc));
    }
  }

  insert(doc: Document, raw?: Uint8Array): void {
    this.checkInsert(doc);
    const slot = this.store(raw ?? serialize(doc));
    this.docs[slot] = doc;
    this.slotOfDoc.set(doc, slot);
    this.slotOf.set(keyOf(doc._id), slot);
    this.indexUnique(doc);
  }

  /**
   * Loads stored bytes (snapshot and journal replay), replacing a document with the same _id.
   * Unique indexes need the values, so only their collections deserialize here.
   */
  putRaw(raw: Uint8Array): void {
    const key = idKeyOfRaw(raw);
    const old = this.slotOf.get(key);
    if (old !== undefined) this.remove(this.docAt(old));
    const slot = this.store(raw);
    this.slotOf.set(key, slot);
    if (this.uniqueMaps.size > 0) this.indexUnique(this.docAt(slot));
  }

  removeById(id: unknown): void {
    const slot = this.slotOf.get(keyOf(id));
    if (slot !== undefined) this.remove(this.docAt(slot));
  }

  replace(oldDoc: Document, newDoc: Document, raw?: Uint8Array): void {
    this.checkInsert(newDoc, oldDoc);
    this.remove(oldDoc);
    // A replaced document moves to the end of natural order, as a grown document may in
    // mongod; nothing may rely on natural order.
    this.insert(newDoc, raw);
  }

  remove(doc: Document): void {
    const key = keyOf(doc._id);
    const slot = this.slotOf.get(key);
    this.slotOf.delete(key);
    if (slot !== undefined) this.docs[slot] = undefined;
    for (const [name, map] of this.uniqueMaps) {
      const indexKey = this.indexKey(this.indexes.find((i) => i.name === name)!, doc);
      if (map.get(indexKey) === doc) map.delete(indexKey);
    }
  }

  /**
   * Gives the bytes a slot. Views into a large shared buffer (a snapshot file, a bulk-load
   * slab) are adopted where they are; small standalone buffers are copied into the append slab.
   */
  private store(raw: Uint8Array): number {
    let slab: number;
    let offset: number;
    const last = this.slabs.length - 1;
    if (last >= 0 && this.slabs[last]!.buffer === raw.buffer && last !== this.appendSlab) {
      slab = last;
      offset = raw.byteOffset;
    } else if (raw.buffer.byteLength >= 1024 * 1024 && raw.buffer.byteLength !== raw.byteLength) {
      this.slabs.push(new Uint8Array(raw.buffer));
      slab = this.slabs.length - 1;
      offset = raw.byteOffset;
    } else {
      if (this.appendSlab < 0 || this.appendUsed + raw.byteLength > this.slabs[this.appendSlab]!.length) {
        this.slabs.push(new Uint8Array(Math.max(4 * 1024 * 1024, raw.byteLength)));
        this.appendSlab = this.slabs.length - 1;
        this.appendUsed = 0;
      }
      slab = this.appendSlab;
      offset = this.appendUsed;
      this.slabs[slab]!.set(raw, offset);
      this.appendUsed += raw.byteLength;
    }
    const slot = this.slotCount++;
    if (slot >= this.slabOfSlot.length) this.growSlots();
    this.slabOfSlot[slot] = slab;
    this.offsetOfSlot[slot] = offset;
    this.lengthOfSlot[slot] = raw.byteLength;
    return slot;
  }

  private growSlots(): void {
    const grow = (old: Uint32Array) => {
      const next = new Uint32Array(old.length * 2);
      next.set(old);
      return next;
    };
    this.slabOfSlot = grow(this.slabOfSlot);
    this.offsetOfSlot = grow(this.offsetOfSlot);
    this.lengthOfSlot = grow(this.lengthOfSlot);
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

  private docAt(slot: number): Document {
    let doc = this.docs[slot];
    if (!doc) {
      doc = deserialize(this.rawAt(slot));
      this.docs[slot] = doc;
      this.slotOfDoc.set(doc, slot);
    }
    return doc;
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
