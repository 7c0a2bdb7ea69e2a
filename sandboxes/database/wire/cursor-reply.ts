import { serialize, type Document } from 'bson';

/**
 * A find/getMore/aggregate reply whose documents are already BSON. Building the reply by
 * splicing stored bytes (instead of re-serializing every document into one big object) is what
 * makes dumping a large collection cheap: each document is copied, never re-encoded.
 */
export class CursorReply {
  constructor(
    readonly id: bigint,
    readonly ns: string,
    readonly batchKey: 'firstBatch' | 'nextBatch',
    readonly docs: Uint8Array[],
  ) {}

  encode(): Buffer {
    const n = this.docs.length;
    const keys = arrayKeys(n);
    // Array document: {"0": doc, "1": doc, ...}
    let arraySize = 4 + 1 + keys.offsets[n]!;
    for (let i = 0; i < n; i++) arraySize += this.docs[i]!.length;
    const batchKey = Buffer.from(`\x04${this.batchKey}\0`, 'latin1');
    const nsBytes = Buffer.from(this.ns, 'utf8');
    const idElement = Buffer.alloc(1 + 3 + 8);
    idElement.write('\x12id\0', 0, 'latin1');
    idElement.writeBigInt64LE(this.id, 4);
    const nsElement = Buffer.alloc(1 + 3 + 4 + nsBytes.length + 1);
    nsElement.write('\x02ns\0', 0, 'latin1');
    nsElement.writeInt32LE(nsBytes.length + 1, 4);
    nsBytes.copy(nsElement, 8);
    const cursorSize = 4 + batchKey.length + arraySize + idElement.length + nsElement.length + 1;
    const cursorKey = Buffer.from('\x03cursor\0', 'latin1');
    const okElement = Buffer.alloc(1 + 3 + 8);
    okElement.write('\x01ok\0', 0, 'latin1');
    okElement.writeDoubleLE(1, 4);
    const outerSize = 4 + cursorKey.length + cursorSize + okElement.length + 1;

    const out = Buffer.allocUnsafe(outerSize);
    let at = out.writeInt32LE(outerSize, 0);
    at += cursorKey.copy(out, at);
    at = out.writeInt32LE(cursorSize, at);
    at += batchKey.copy(out, at);
    at = out.writeInt32LE(arraySize, at);
    const { bytes, offsets } = keys;
    for (let i = 0; i < n; i++) {
      at += bytes.copy(out, at, offsets[i]!, offsets[i + 1]!);
      const doc = this.docs[i]!;
      out.set(doc, at);
      at += doc.length;
    }
    out[at++] = 0;
    at += idElement.copy(out, at);
    at += nsElement.copy(out, at);
    out[at++] = 0;
    at += okElement.copy(out, at);
    out[at++] = 0;
    return out;
  }
}

/**
 * The element headers of a BSON array ("\x03" + index + NUL) for indexes 0..n-1, built once
 * and grown on demand: writing them is a copy, not a string conversion per document.
 */
let keyTable: { bytes: Buffer; offsets: Uint32Array; count: number } = { bytes: Buffer.alloc(0), offsets: new Uint32Array([0]), count: 0 };

function arrayKeys(n: number): { bytes: Buffer; offsets: Uint32Array } {
  if (n <= keyTable.count) return keyTable;
  const count = Math.max(n, keyTable.count * 2, 1024);
  const parts: string[] = [];
  const offsets = new Uint32Array(count + 1);
  let length = 0;
  for (let i = 0; i < count; i++) {
    const key = `\x03${i}\0`;
    parts.push(key);
    offsets[i] = length;
    length += key.length;
  }
  offsets[count] = length;
  keyTable = { bytes: Buffer.from(parts.join(''), 'latin1'), offsets, count };
  return keyTable;
}

export type Reply = Document | CursorReply;

export function encodeReplyBody(reply: Reply): Buffer {
  if (reply instanceof CursorReply) return reply.encode();
  return Buffer.from(serialize(reply));
}
