/**
 * The default rate limiter: an in-memory token bucket per browser account. Server keys are not
 * limited by default (they are the app's own backend). Replace it with the `rateLimit` option for
 * limits shared across instances (e.g. Redis).
 * @module
 */
import type { Identity } from './auth.js';

/** The verdict of a rate limiter. */
export type RateLimitResult =
  | {
      /** The request may proceed. */
      ok: true;
    }
  | {
      /** The request is refused with `429 RATE_LIMITED`. */
      ok: false;
      /** Sent as `Retry-After`. */
      retryAfterSeconds: number;
    };

/** A rate-limit hook. */
export type RateLimitFn = ((identity: Identity, request: Request) => Promise<RateLimitResult> | RateLimitResult) & {
  /**
   * The same decision from the identity alone, for limits that never read the request: the
   * handler calls it instead, so a server adapter need not build a `Request` for the call. The
   * limits made here ({@link createTokenBucketRateLimit}, `createLedgerRateLimit`, `rateLimitFrom`) have it.
   */
  byIdentity?: (identity: Identity) => Promise<RateLimitResult> | RateLimitResult;
};

/** A rate limit keyed by identity only, as both forms of {@link RateLimitFn}. */
export function identityRateLimit(decide: (identity: Identity) => Promise<RateLimitResult> | RateLimitResult): RateLimitFn {
  const limit: RateLimitFn = (identity) => decide(identity);
  limit.byIdentity = decide;
  return limit;
}

/**
 * The bucket of an identity: its account; `null` for a server key unless `includeServer` (the
 * app's own backend is not limited by default). Every limiter of this package keys the same way.
 */
export function rateLimitKey(identity: Identity, includeServer: boolean | undefined): string | null {
  if ((identity.kind ?? 'browser') === 'server' && !includeServer) return null;
  return identity.accountId ?? '(server)';
}

/** Options of {@link createTokenBucketRateLimit}. */
export interface TokenBucketOptions {
  /** Tokens added per second. Default 20. */
  ratePerSecond?: number;
  /** Bucket size. Default 40. */
  burst?: number;
  /** Also limit server identities. Default false. */
  includeServer?: boolean;
  /** Buckets kept at most; the least recently used are dropped. Default 10,000. */
  maxBuckets?: number;
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * An in-memory token bucket keyed by account, for browser identities only (by default).
 *
 * @example
 * createCreditsHandler({ ..., rateLimit: createTokenBucketRateLimit({ ratePerSecond: 5, burst: 10 }) })
 */
export function createTokenBucketRateLimit(options: TokenBucketOptions = {}): RateLimitFn {
  const rate = options.ratePerSecond ?? 20;
  const burst = options.burst ?? 40;
  const maxBuckets = options.maxBuckets ?? 10_000;
  const clock = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return identityRateLimit((identity) => {
    const key = rateLimitKey(identity, options.includeServer);
    if (key === null) return { ok: true };
    const now = clock();
    const bucket = buckets.get(key) ?? { tokens: burst, at: now };
    buckets.delete(key); // re-insert to keep Map order = recency
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    buckets.set(key, bucket);
    if (buckets.size > maxBuckets) buckets.delete(buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)) };
  });
}
