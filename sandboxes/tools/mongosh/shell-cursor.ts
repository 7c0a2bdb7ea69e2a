/**
 * The shell's cursor: a lazy wrapper over the driver's cursor, so `db.c.find().sort(...).limit(2)`
 * stays synchronous (modifiers only change options) and the query runs when the cursor is
 * printed, iterated, or turned into an array, as in mongosh.
 */
import type { AbstractCursor, AggregationCursor, Document, FindCursor } from 'mongodb';
import { inspect } from 'node:util';

/** How many documents one printing of a cursor (and each `it`) shows, like mongosh. */
export const DISPLAY_BATCH_SIZE = 20;

type CountFn = () => Promise<number>;

export class ShellCursor {
  #cursor: AbstractCursor<Document>;
  #count?: CountFn;
  #started = false;
  readonly kind: 'Cursor' | 'AggregationCursor';

  constructor(cursor: FindCursor<Document> | AggregationCursor<Document>, kind: 'Cursor' | 'AggregationCursor', count?: CountFn) {
    this.#cursor = cursor;
    this.kind = kind;
    this.#count = count;
  }

  #modify(apply: (cursor: FindCursor<Document>) => void, name: string): this {
    if (this.#started) throw new Error(`Cursor already iterated: call ${name}() before reading documents`);
    if (this.kind !== 'Cursor') throw new TypeError(`${name}() is not available on an aggregation cursor: use a $${name} stage`);
    apply(this.#cursor as FindCursor<Document>);
    return this;
  }

  limit(n: number): this {
    return this.#modify((c) => c.limit(n), 'limit');
  }
  skip(n: number): this {
    return this.#modify((c) => c.skip(n), 'skip');
  }
  sort(spec: Document): this {
    return this.#modify((c) => c.sort(spec), 'sort');
  }
  projection(spec: Document): this {
    return this.#modify((c) => c.project(spec), 'projection');
  }
  project(spec: Document): this {
    return this.projection(spec);
  }
  batchSize(n: number): this {
    this.#cursor.batchSize(n);
    return this;
  }
  pretty(): this {
    return this;
  }
  map(fn: (doc: Document) => unknown): this {
    this.#cursor = this.#cursor.map(fn as (doc: Document) => Document);
    return this;
  }

  async hasNext(): Promise<boolean> {
    this.#started = true;
    return this.#cursor.hasNext();
  }
  async next(): Promise<Document | null> {
    this.#started = true;
    return this.#cursor.next();
  }
  async tryNext(): Promise<Document | null> {
    this.#started = true;
    return this.#cursor.tryNext();
  }
  async toArray(): Promise<Document[]> {
    this.#started = true;
    return this.#cursor.toArray();
  }
  async forEach(fn: (doc: Document) => unknown): Promise<void> {
    this.#started = true;
    for await (const doc of this.#cursor) {
      if ((await fn(doc)) === false) break;
    }
  }
  /** cursor.count(): the matching documents, ignoring limit and skip (as legacy mongo did). */
  async count(): Promise<number> {
    if (!this.#count) throw new TypeError('count() is not available on an aggregation cursor: add a $count stage');
    return this.#count();
  }
  async size(): Promise<number> {
    return this.count();
  }
  async itcount(): Promise<number> {
    let n = 0;
    await this.forEach(() => void n++);
    return n;
  }
  async close(): Promise<void> {
    await this.#cursor.close();
  }
  isExhausted(): boolean {
    return this.#cursor.closed && this.#cursor.bufferedCount() === 0;
  }

  /** The next page for printing: up to 20 documents and whether more remain. */
  async nextPage(size = DISPLAY_BATCH_SIZE): Promise<{ documents: Document[]; hasMore: boolean }> {
    this.#started = true;
    const documents: Document[] = [];
    while (documents.length < size) {
      const doc = await this.#cursor.next();
      if (doc === null) break;
      documents.push(doc);
    }
    const hasMore = documents.length === size && (await this.#cursor.hasNext());
    return { documents, hasMore };
  }

  // Printing the cursor object itself (e.g. inside another value) must not run the query.
  [inspect.custom](): string {
    return this.kind;
  }
}
