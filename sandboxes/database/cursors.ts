import { randomInt } from 'node:crypto';
import { serialize, type Document } from 'bson';
import { CommandError } from './errors.ts';
import type { Collection } from './storage/collection.ts';
import { MAX_REPLY_BATCH_BYTES } from './wire/limits.ts';
import { CursorReply } from './wire/cursor-reply.ts';

/** A result item: a document, or its BSON already (a plain dump never deserializes). */
export type CursorItem = Document | Uint8Array;

interface OpenCursor {
  ns: string;
  /** Result items, or slots of `source` for a plain dump (no per-document objects at all). */
  docs: CursorItem[] | Uint32Array;
  position: number;
  /** Documents straight from this collection are served from its cached BSON. */
  source: Collection | undefined;
  /** Who opened it: a cursor may only be continued by the same user, as in mongod. */
  owner: string;
  lastUsed: number;
}

/** mongod's cursorTimeoutMillis: an abandoned cursor (mongosh shows 20 and moves on) is freed. */
export const CURSOR_TIMEOUT_MS = 10 * 60 * 1000;

export const DEFAULT_FIRST_BATCH = 101;

/**
 * Open cursors of the whole server. A cursor holds the result list and a position; batches are
 * cut by count and by bytes (16 MB, as mongod), and the last batch closes it (id 0).
 */
export class CursorRegistry {
  private readonly open = new Map<bigint, OpenCursor>();
  private lastSweep: number;

  constructor(private readonly now: () => number = Date.now) {
    this.lastSweep = now();
  }

  get size(): number {
    return this.open.size;
  }

  firstBatch(ns: string, docs: CursorItem[] | Uint32Array, source: Collection | undefined, owner: string, batchSize: number | undefined, singleBatch = false): CursorReply {
    this.sweep();
    const cursor: OpenCursor = { ns, docs, position: 0, source, owner, lastUsed: this.now() };
    const batch = this.takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0n;
    if (!singleBatch && cursor.position < docs.length) {
      id = this.newId();
      this.open.set(id, cursor);
    }
    return new CursorReply(id, ns, 'firstBatch', batch);
  }

  nextBatch(id: bigint, ns: string, owner: string, batchSize: number | undefined): CursorReply {
    this.sweep();
    const cursor = this.open.get(id);
    if (!cursor || cursor.owner !== owner) throw new CommandError('CursorNotFound', `cursor id ${id} not found`);
    cursor.lastUsed = this.now();
    if (cursor.ns !== ns) {
      throw new CommandError('Unauthorized', `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`);
    }
    const batch = this.takeBatch(cursor, batchSize ?? Number.POSITIVE_INFINITY);
    let replyId = id;
    if (cursor.position >= cursor.docs.length) {
      this.open.delete(id);
      replyId = 0n;
    }
    return new CursorReply(replyId, cursor.ns, 'nextBatch', batch);
  }

  kill(id: bigint): boolean {
    return this.open.delete(id);
  }

  /** Namespace and owner of an open cursor (killCursors checks them before killing). */
  describe(id: bigint): { ns: string; owner: string } | undefined {
    const cursor = this.open.get(id);
    return cursor && { ns: cursor.ns, owner: cursor.owner };
  }

  /** Frees cursors idle for longer than CURSOR_TIMEOUT_MS (checked at most every 30 s). */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 30_000) return;
    this.lastSweep = now;
    for (const [id, cursor] of this.open) if (now - cursor.lastUsed > CURSOR_TIMEOUT_MS) this.open.delete(id);
  }

  private takeBatch(cursor: OpenCursor, batchSize: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    let bytes = 0;
    const limit = batchSize <= 0 ? Number.POSITIVE_INFINITY : batchSize;
    while (cursor.position < cursor.docs.length && out.length < limit) {
      const doc = cursor.docs[cursor.position]!;
      const raw = typeof doc === 'number'
        ? cursor.source!.rawAt(doc)
        : doc instanceof Uint8Array ? doc : cursor.source ? cursor.source.rawOf(doc) : serialize(doc);
      // Each array element costs its type byte, its index as a key and a NUL beside the document.
      const elementBytes = raw.length + 2 + String(out.length).length;
      if (out.length > 0 && bytes + elementBytes > MAX_REPLY_BATCH_BYTES) break;
      out.push(raw);
      bytes += elementBytes;
      cursor.position++;
    }
    return out;
  }

  private newId(): bigint {
    // Positive and below 2^53 so the id survives a client that turns Longs into numbers.
    let id: bigint;
    do id = BigInt(randomInt(1, 2 ** 47)) * 64n + BigInt(randomInt(0, 64));
    while (this.open.has(id));
    return id;
  }
}

/** getMore/killCursors ids arrive as Long, bigint or number depending on the client. */
export function cursorIdOf(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (value && typeof value === 'object' && (value as { _bsontype?: string })._bsontype === 'Long') {
    return BigInt((value as { toString(): string }).toString());
  }
  throw new CommandError('TypeMismatch', `Field 'getMore' must be of type long in: ${String(value)}`);
}
