/**
 * Single byte ranges (RFC 9110 section 14): Safari fetches audio with `Range: bytes=0-1` first
 * and will not play a file whose server ignores ranges. Only one range is supported; a
 * multi-range request gets the whole file (a server may always ignore Range), which is what
 * static hosts commonly do and no browser needs more for media. Written here rather than
 * taken from a package because it is a dozen lines and the server has no dependencies.
 */
export type RangeAnswer = { kind: 'whole' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

export function parseByteRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  // Unknown units, several ranges or garbage: ignore the header, as RFC 9110 allows.
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'whole' };
  if (match[1] === '') {
    // bytes=-N: the last N bytes.
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (!Number.isSafeInteger(start) || start >= size) return { kind: 'unsatisfiable' };
  if (end < start) return { kind: 'whole' }; // an invalid range-spec: ignored, per RFC 9110
  return { kind: 'partial', start, end };
}
