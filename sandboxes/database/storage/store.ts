import { serialize, type Document } from 'bson';
import { Collection, type IndexSpec } from './collection.ts';
import { DurableLog } from './durable-log.ts';
import type { StoredRecord } from './record-file.ts';

/**
 * All databases and collections. Every change goes through here so it is both applied in
 * memory and appended to the durable log; `commit()` makes the command's changes durable
 * before its reply is sent. Without a dbPath the store is memory-only (tests, benchmarks).
 */
export class Store {
  private readonly dbs = new Map<string, Map<string, Collection>>();
  private readonly log: DurableLog | undefined;
  readonly warnings: string[] = [];

  constructor(dbPath?: string) {
    if (dbPath) {
      this.log = new DurableLog(dbPath);
      this.warnings.push(...this.log.load((record) => this.replay(record)));
      if (this.log.needsCompaction()) this.compact();
    }
  }

  databaseNames(): string[] {
    return [...this.dbs.keys()].filter((name) => (this.dbs.get(name)?.size ?? 0) > 0).sort();
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** Returns the collection, creating it (implicitly, like mongod on first insert). */
  ensureCollection(db: string, name: string, options: Document = {}): Collection {
    const existing = this.collection(db, name);
    if (existing) return existing;
    const coll = new Collection(db, name, options);
    this.attach(coll);
    this.log?.append({ op: 'create', ns: coll.ns, db, coll: name, options, indexes: coll.indexes });
    return coll;
  }

  insert(coll: Collection, doc: Document, raw?: Uint8Array): void {
    coll.insert(doc, raw);
    this.log?.append({ op: 'put', db: coll.db, coll: coll.name }, [coll.rawOf(doc)]);
  }

  replace(coll: Collection, oldDoc: Document, newDoc: Document, raw?: Uint8Array): void {
    coll.replace(oldDoc, newDoc, raw);
    this.log?.append({ op: 'put', db: coll.db, coll: coll.name }, [coll.rawOf(newDoc)]);
  }

  remove(coll: Collection, doc: Document): void {
    coll.remove(doc);
    this.log?.append({ op: 'delete', db: coll.db, coll: coll.name, id: doc._id });
  }

  dropCollection(db: string, name: string): boolean {
    const had = this.dbs.get(db)?.delete(name) ?? false;
    if (had) this.log?.append({ op: 'drop', db, coll: name });
    return had;
  }

  dropDatabase(db: string): void {
    this.dbs.delete(db);
    this.log?.append({ op: 'dropDatabase', db });
  }

  addIndex(coll: Collection, spec: IndexSpec): void {
    coll.addIndex(spec);
    this.log?.append({ op: 'indexes', db: coll.db, coll: coll.name, indexes: coll.indexes });
  }

  dropIndex(coll: Collection, name: string): void {
    coll.dropIndex(name);
    this.log?.append({ op: 'indexes', db: coll.db, coll: coll.name, indexes: coll.indexes });
  }

  /**
   * Bulk load for seeding and benchmarks: documents are kept as BSON only (deserialized when a
   * query first needs them), written as one snapshot instead of per-document journal records.
   * Loading several collections in a row: pass `{ checkpoint: false }` and call checkpoint()
   * once at the end, rather than rewriting the growing snapshot after each one.
   */
  bulkLoad(db: string, name: string, docs: Iterable<Document>, options: { checkpoint?: boolean } = {}): Collection {
    const coll = this.ensureCollection(db, name);
    // Documents are copied into shared 4 MB slabs: one allocation per slab instead of one
    // ArrayBuffer per document, which saves about 100 bytes per document held.
    let slab = Buffer.allocUnsafe(0);
    let used = 0;
    for (const doc of docs) {
      const raw = serialize(doc);
      if (used + raw.length > slab.length) {
        slab = Buffer.allocUnsafe(Math.max(4 * 1024 * 1024, raw.length));
        used = 0;
      }
      slab.set(raw, used);
      coll.putRaw(slab.subarray(used, used + raw.length));
      used += raw.length;
    }
    if (options.checkpoint !== false) this.checkpoint();
    return coll;
  }

  /** Writes everything as one durable snapshot (after bulk loads). */
  checkpoint(): void {
    if (this.log) this.compact();
  }

  /** Makes the changes of the current command durable (before its reply is sent). */
  commit(): void {
    if (!this.log) return;
    this.log.flush();
    if (this.log.needsCompaction()) this.compact();
  }

  close(): void {
    this.log?.close();
  }

  private compact(): void {
    this.log?.compact((emit) => {
      for (const [db, colls] of this.dbs) {
        for (const coll of colls.values()) {
          emit({ op: 'create', db, coll: coll.name, options: coll.options, indexes: coll.indexes }, []);
          emit({ op: 'put', db, coll: coll.name }, coll.raws());
        }
      }
    });
  }

  private attach(coll: Collection): void {
    let colls = this.dbs.get(coll.db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(coll.db, colls);
    }
    colls.set(coll.name, coll);
  }

  private replay({ header, docs }: StoredRecord): void {
    const db = String(header.db);
    const name = String(header.coll);
    switch (header.op) {
      case 'create':
        if (!this.collection(db, name)) {
          this.attach(new Collection(db, name, (header.options as Document) ?? {}, header.indexes as IndexSpec[]));
        }
        break;
      case 'put': {
        const coll = this.collection(db, name) ?? this.attachNew(db, name);
        for (const raw of docs) coll.putRaw(raw);
        break;
      }
      case 'delete': {
        this.collection(db, name)?.removeById(header.id);
        break;
      }
      case 'drop':
        this.dbs.get(db)?.delete(name);
        break;
      case 'dropDatabase':
        this.dbs.delete(db);
        break;
      case 'indexes': {
        const coll = this.collection(db, name) ?? this.attachNew(db, name);
        const indexes = header.indexes as IndexSpec[];
        for (const spec of coll.indexes.slice()) if (!indexes.some((i) => i.name === spec.name)) coll.dropIndex(spec.name);
        for (const spec of indexes) if (!coll.indexes.some((i) => i.name === spec.name)) coll.addIndex(spec);
        break;
      }
      default:
        this.warnings.push(`ignored unknown storage record ${JSON.stringify(header.op)}`);
    }
  }

  private attachNew(db: string, name: string): Collection {
    const coll = new Collection(db, name);
    this.attach(coll);
    return coll;
  }
}
