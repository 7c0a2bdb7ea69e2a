/**
 * Documents as the client sent them, without a decode and re-encode. Deserializing turns every
 * int64 that fits a double into a JS number, and encoding it again would store an int32 or a
 * double where the client sent an int64; inserts keep the bytes as sent instead. Written by
 * hand because the bson library offers no way to reach an element's raw bytes: this only
 * walks element headers and lengths of documents the library has already validated.
 */

/** Size of an element's value, for the BSON types that can appear in a command body. */
function valueSize(buf: Buffer, type: number, at: number): number {
  switch (type) {
    case 0x01: // double
    case 0x09: // UTC datetime
    case 0x11: // timestamp
    case 0x12: // int64
      return 8;
    case 0x02: // string
    case 0x0d: // JavaScript code
    case 0x0e: // symbol
      return 4 + buf.readInt32LE(at);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return buf.readInt32LE(at);
    case 0x05: // binary
      return 4 + 1 + buf.readInt32LE(at);
    case 0x06: // undefined
    case 0x0a: // null
    case 0x7f: // max key
    case 0xff: // min key
      return 0;
    case 0x07: // ObjectId
      return 12;
    case 0x08: // boolean
      return 1;
    case 0x0b: {
      // regular expression: two C strings
      const first = buf.indexOf(0, at);
      return buf.indexOf(0, first + 1) + 1 - at;
    }
    case 0x0c: // DBPointer
      return 4 + buf.readInt32LE(at) + 12;
    case 0x10: // int32
      return 4;
    case 0x13: // decimal128
      return 16;
    default:
      throw new Error(`unknown BSON type 0x${type.toString(16)}`);
  }
}

/** Walks a document's elements: [type, name, value offset, value size]. */
function* elements(buf: Buffer, start: number): Generator<[number, string, number, number]> {
  const end = start + buf.readInt32LE(start) - 1;
  let at = start + 4;
  while (at < end) {
    const type = buf[at]!;
    const nameEnd = buf.indexOf(0, at + 1);
    const name = buf.toString('utf8', at + 1, nameEnd);
    const valueAt = nameEnd + 1;
    const size = valueSize(buf, type, valueAt);
    yield [type, name, valueAt, size];
    at = valueAt + size;
  }
}

/**
 * The raw documents of `body[field]` when it is an array of documents; undefined when the
 * field is missing or holds anything else. `body` was already validated by deserializing it.
 */
export function rawArrayElements(body: Buffer, field: string): Buffer[] | undefined {
  for (const [type, name, at] of elements(body, 0)) {
    if (name !== field) continue;
    if (type !== 0x04) return undefined;
    const out: Buffer[] = [];
    for (const [elementType, , elementAt, size] of elements(body, at)) {
      if (elementType !== 0x03) return undefined;
      out.push(body.subarray(elementAt, elementAt + size));
    }
    return out;
  }
  return undefined;
}

/**
 * The same document with its _id element moved to the front, as mongod stores it (the driver
 * appends a generated _id last). Undefined when there is no _id.
 */
export function rawWithIdFirst(doc: Buffer): Buffer | undefined {
  for (const [, name, valueAt, size] of elements(doc, 0)) {
    if (name !== '_id') continue;
    const start = valueAt - 5; // type byte + "_id\0"
    const end = valueAt + size;
    const out = Buffer.allocUnsafe(doc.length);
    out.writeInt32LE(doc.length, 0);
    doc.copy(out, 4, start, end);
    doc.copy(out, 4 + (end - start), 4, start);
    doc.copy(out, 4 + (end - 4), end);
    return out;
  }
  return undefined;
}

/**
 * How deeply a document nests, counting the document itself as 1; empty documents and arrays
 * do not count, as in mongod. Walks the bytes without recursion, so a document nested
 * 100,000 deep costs a loop, not the stack; stops counting past `stopAbove`. Malformed bytes
 * give 0 here and their error from the BSON library.
 */
export function nestingDepth(doc: Uint8Array, stopAbove: number): number {
  const buf = Buffer.from(doc.buffer, doc.byteOffset, doc.byteLength);
  try {
    const ends: number[] = [buf.readInt32LE(0) - 1];
    let at = 4;
    let deepest = 1;
    while (ends.length > 0) {
      const end = ends[ends.length - 1]!;
      if (at >= end) {
        ends.pop();
        at = end + 1;
        continue;
      }
      const type = buf[at]!;
      const nameEnd = buf.indexOf(0, at + 1);
      if (nameEnd < 0 || nameEnd >= end) return 0;
      const valueAt = nameEnd + 1;
      if (type === 0x03 || type === 0x04) {
        const size = buf.readInt32LE(valueAt);
        if (size < 5 || valueAt + size > end) return 0;
        if (size > 5) {
          ends.push(valueAt + size - 1);
          at = valueAt + 4;
          deepest = Math.max(deepest, ends.length);
          if (deepest > stopAbove) return deepest;
          continue;
        }
      }
      const size = valueSize(buf, type, valueAt);
      if (size < 0) return 0;
      at = valueAt + size;
    }
    return deepest;
  } catch {
    return 0;
  }
}
