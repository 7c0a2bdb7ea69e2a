import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { deserialize, type Document } from 'bson';

/** A storage file that cannot be read back: start-up stops and the file is left as it is. */
export class StorageError extends Error {}

export interface StoredRecord {
  header: Document;
  /** The record's documents as raw BSON (views into the file's buffer, not copies). */
  docs: Uint8Array[];
}

/**
 * Both storage files are the same format: a stream of BSON documents where a record header
 * `{op, ns, n, ...}` is followed by its `n` documents as raw BSON. Documents are therefore
 * written byte for byte as they will be served, and loading is one pass.
 *
 * A record cut short at the very end of the file is what a crash during a write leaves; that
 * write was never acknowledged, so it is dropped (and reported). Damage anywhere else stops
 * start-up with the file and offset, and nothing is rewritten.
 */
export function readRecords(path: string, onRecord: (record: StoredRecord) => void): { tornTailBytes: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    let offset = 0;
    const readRaw = (): Uint8Array | 'torn' => {
      if (offset + 4 > size) return 'torn';
      const len = buf.readInt32LE(offset);
      if (len < 5) throw new StorageError(`${path}: invalid document length ${len} at byte ${offset}`);
      if (offset + len > size) return 'torn';
      // Framing is checked here; the contents are checked when a query first reads the document.
      if (buf[offset + len - 1] !== 0) throw new StorageError(`${path}: damaged document at byte ${offset}`);
      const raw = buf.subarray(offset, offset + len);
      offset += len;
      return raw;
    };
    const readDoc = (): { doc: Document; raw: Uint8Array } | 'torn' => {
      if (offset + 4 > size) return 'torn';
      const len = buf.readInt32LE(offset);
      if (len < 5) throw new StorageError(`${path}: invalid document length ${len} at byte ${offset}`);
      if (offset + len > size) return 'torn';
      const raw = buf.subarray(offset, offset + len);
      let doc: Document;
      try {
        doc = deserialize(raw);
      } catch (error) {
        throw new StorageError(`${path}: unreadable document at byte ${offset}: ${(error as Error).message}`);
      }
      offset += len;
      return { doc, raw };
    };
    while (offset < size) {
      const start = offset;
      const head = readDoc();
      if (head === 'torn') return { tornTailBytes: size - start };
      const count = typeof head.doc.n === 'number' ? head.doc.n : 0;
      // Documents stay views into the file buffer: no copy and no deserialization at start-up.
      // The buffer lives as long as any of its documents does, which for a loaded collection
      // is the whole run anyway.
      const docs: Uint8Array[] = [];
      for (let i = 0; i < count; i++) {
        const d = readRaw();
        if (d === 'torn') return { tornTailBytes: size - start };
        docs.push(d);
      }
      onRecord({ header: head.doc, docs });
    }
    return { tornTailBytes: 0 };
  } finally {
    closeSync(fd);
  }
}
