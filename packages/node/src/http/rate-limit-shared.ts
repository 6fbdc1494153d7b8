/**
 * Rate limits shared by every instance of a server: a token bucket kept in the ledger's own
 * database (the default with the Postgres ledger), or any store behind a `rate-limiter-flexible`
 * limiter (Redis, Memcached, …) through {@link rateLimitFrom}.
 * @module
 */
import type { LedgerAdapter } from '../ledger/adapter.js';
import { identityRateLimit, rateLimitKey, type RateLimitFn, type TokenBucketOptions } from './rate-limit.js';

/** Options of {@link createLedgerRateLimit}. */
export interface LedgerRateLimitOptions extends Omit<TokenBucketOptions, 'maxBuckets' | 'now'> {
  /** A ledger with a shared token store (`takeToken`), e.g. the Postgres ledger. */
  ledger: Pick<LedgerAdapter, 'takeToken'>;
}

/**
 * A token bucket per account kept by the ledger's own database, so that N instances enforce one
 * limit instead of N. The handler uses it by default when its ledger has `takeToken` (Postgres).
 */
export function createLedgerRateLimit(options: LedgerRateLimitOptions): RateLimitFn {
  const rate = options.ratePerSecond ?? 20;
  const burst = options.burst ?? 40;
  const take = options.ledger.takeToken;
  if (!take) throw new TypeError('createLedgerRateLimit: this ledger keeps no shared token buckets (no takeToken).');
  return identityRateLimit(async (identity) => {
    const key = rateLimitKey(identity, options.includeServer);
    if (key === null) return { ok: true };
    const { granted, tokens } = await take(`rate:${key}`, burst, rate);
    if (granted) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / rate)) };
  });
}

/**
 * The part of a `rate-limiter-flexible` limiter {@link rateLimitFrom} uses: `consume` resolves
 * when a point was taken and rejects with `{ msBeforeNext }` when none is left (or with an Error
 * when its store fails).
 */
export interface PointLimiter {
  /** Takes `points` (default 1) for `key`; rejects with `{ msBeforeNext }` when too few are left. */
  consume(key: string, points?: number): Promise<unknown>;
}

/** Options of {@link rateLimitFrom}. */
export interface RateLimitFromOptions {
  /** Also limit server identities. Default false. */
  includeServer?: boolean;
}

/**
 * Adapts a `rate-limiter-flexible` limiter (e.g. `RateLimiterRedis`) as the handler's `rateLimit`,
 * keyed by account, browser identities only by default.
 *
 * @example
 * import { RateLimiterRedis } from 'rate-limiter-flexible';
 * const limiter = new RateLimiterRedis({ storeClient: redis, points: 40, duration: 2, keyPrefix: 'credits' });
 * createCreditsHandler({ ..., rateLimit: rateLimitFrom(limiter) });
 */
export function rateLimitFrom(limiter: PointLimiter, options: RateLimitFromOptions = {}): RateLimitFn {
  return identityRateLimit(async (identity) => {
    const key = rateLimitKey(identity, options.includeServer);
    if (key === null) return { ok: true };
    try {
      await limiter.consume(key);
      return { ok: true };
    } catch (rejection) {
      // A store failure is not a verdict: it surfaces as an error (500/503), never as a silent pass.
      if (rejection instanceof Error) throw rejection;
      const ms = Number((rejection as { msBeforeNext?: unknown }).msBeforeNext ?? 1000);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
    }
  });
}
