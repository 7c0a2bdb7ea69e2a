import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * Compression for `npm start`: lesson pages load several hundred KB of JavaScript, which
 * brotli shrinks to about a quarter. node:zlib does the work; only the choice of encoding is
 * ours. Compressed bodies are kept in memory by content hash (pages, scripts and styles never
 * change while the server runs, and a transformed page hashes to itself), so each file is
 * compressed once, the first time a browser asks for it. Brotli quality 5: on the built
 * course's largest script (330 KiB) it gave 79 KiB in about 180 ms, where quality 9 gave
 * 76 KiB in about 940 ms and 11 gave 70 KiB in 2.2 s (measured on a busy 2-core machine): the
 * first load of a lab would wait for the difference.
 *
 * Not compressed: ranges (a range is of the identity bytes; Safari's audio requests), media
 * and images (already compressed, or WAV which Safari fetches by range), Pagefind's index
 * (gzip data the client unpacks itself), and tiny bodies.
 */
export type Encoding = 'br' | 'gzip';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const compressibleTypes = /^(text\/|application\/(javascript|json|xml|manifest\+json|wasm)|image\/svg\+xml)/;
const MIN_BYTES = 1024;
/** Enough for every page and bundle of the built course several times over. */
const CACHE_BUDGET_BYTES = 64 * 1024 * 1024;

export function isCompressible(contentType: string, size: number): boolean {
  return size >= MIN_BYTES && compressibleTypes.test(contentType);
}

/**
 * The encoding to use for an Accept-Encoding header: brotli, then gzip, each unless refused
 * with q=0 (`*` counts for both). Undefined means identity.
 */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (match) q = Number(match[1]);
    }
    weights.set(name, Number.isFinite(q) ? q : 0);
  }
  const weight = (name: Encoding): number => weights.get(name) ?? weights.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return undefined;
}

export function contentDigest(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64url');
}

export class CompressionCache {
  private readonly entries = new Map<string, Promise<Buffer>>();
  private readonly sizes = new Map<string, number>();
  private bytes = 0;

  constructor(private readonly budget = CACHE_BUDGET_BYTES) {}

  /** `digest` identifies the body (see contentDigest); passed in because the caller needs it for the ETag too. */
  compress(body: Buffer, encoding: Encoding, digest = contentDigest(body)): Promise<Buffer> {
    const key = `${encoding}:${digest}`;
    const cached = this.entries.get(key);
    if (cached) {
      // Least recently used last: re-insert.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const work =
      encoding === 'br'
        ? brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
        : gzipAsync(body, { level: 6 });
    this.entries.set(key, work);
    work.then(
      (compressed) => this.account(key, compressed.length),
      () => this.entries.delete(key),
    );
    return work;
  }

  private account(key: string, size: number): void {
    if (!this.entries.has(key)) return;
    this.sizes.set(key, size);
    this.bytes += size;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.budget) break;
      if (!this.sizes.has(oldest)) continue; // still compressing
      this.bytes -= this.sizes.get(oldest)!;
      this.sizes.delete(oldest);
      this.entries.delete(oldest);
    }
  }
}
