/**
 * Token buckets per key (a learner token, a client address): a burst, then a steady rate.
 * Hand-written because it is a dozen lines and the server needs nothing else from a
 * rate-limiting library (no shared store, one process).
 */
export interface RateLimiter {
  /** True when the request may go ahead (and takes a token). */
  take(key: string): boolean;
  /** Seconds until the next token, for Retry-After. */
  retryAfter(key: string): number;
}

export function createRateLimiter(options: { burst: number; perSecond: number; now?: () => number; maxKeys?: number }): RateLimiter {
  const now = options.now ?? (() => Date.now());
  const maxKeys = options.maxKeys ?? 10_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (key: string): { tokens: number; at: number } => {
    const time = now();
    let bucket = buckets.get(key);
    if (!bucket) {
      // Forget the oldest keys rather than grow without bound under a flood of new keys.
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
      bucket = { tokens: options.burst, at: time };
      buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(options.burst, bucket.tokens + ((time - bucket.at) / 1000) * options.perSecond);
    bucket.at = time;
    return bucket;
  };
  return {
    take(key) {
      const bucket = refill(key);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    retryAfter(key) {
      const bucket = refill(key);
      return Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond));
    },
  };
}
