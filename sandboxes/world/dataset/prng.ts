/**
 * Seeded randomness for the dataset. Hand-written on purpose: Math.random cannot be seeded,
 * and the generator needs *random access* (user #712,004 must come out the same without
 * generating the 712,003 before it), so every entity gets its own small stream seeded from
 * (seed, stream name, index). mulberry32 and a murmur3-style mix are a dozen lines, fast,
 * and pull no dependency into the browser bundle; statistical quality is ample for fake data.
 */

/** murmur3 fmix32: spreads every input bit over the output. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(text: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  /** integer in [0, n) */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** n random bytes */
  bytes(n: number): Uint8Array;
}

// A class rather than a closure: one small object per entity stream, millions of times.
class Mulberry32 implements Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }
}

export function mulberry32(seed: number): Random {
  return new Mulberry32(seed);
}

/** The stream for one entity: same (seed, stream, index) -> same numbers, always. */
export function streamFor(seed: number, stream: string, index: number): Random {
  return mulberry32(mix32(mix32(seed ^ hashString(stream)) ^ mix32(index + 0x9e3779b9)));
}
