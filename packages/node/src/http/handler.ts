/**
 * `createCreditsHandler`: the whole API as one fetch-standard `(Request) => Promise<Response>`.
 * @module
 */
import { defaultCatalogue, type CreditPackage } from '../catalogue.js';
import { defaultPlans, type CreditPlan } from '../plans.js';
import type { AutoTopUps, BalanceEvents, IdempotencyRecords, LedgerAdapter, LedgerOperations, LedgerPlans, PaymentCustomers, PurchaseRecords } from '../ledger/adapter.js';
import { createBalanceHub } from '../internal/live/balance-hub.js';
import type { StripeLike } from '../stripe/stripe-like.js';
import type { IdentifyFn } from './auth.js';
import type { HandlerContext, Logger } from './context.js';
import type { IncomingRequest } from './incoming.js';
import { operations } from './operations/index.js';
import { createPipeline, toResponse, type PreparedResponse } from './pipeline.js';
import { createTokenBucketRateLimit, type RateLimitFn } from './rate-limit.js';
import { createLedgerRateLimit } from './rate-limit-shared.js';
import { buildRoutes } from './routes.js';
import { createStreamCounter } from '../internal/live/stream-counter.js';

/** Options of {@link createCreditsHandler}. */
export interface CreditsHandlerOptions {
  /** The ledger (memory, PGlite, Postgres or your own adapter): the slices the handler uses. */
  ledger: LedgerOperations & PurchaseRecords & IdempotencyRecords & PaymentCustomers & AutoTopUps & LedgerPlans & BalanceEvents & Pick<LedgerAdapter, 'ping' | 'takeToken'>;
  /** Resolves the caller; see {@link createServerKeyIdentify}. */
  identify: IdentifyFn;
  /** A Stripe client (`new Stripe(key)`) or the checkout emulator. Absent: purchases answer 503. */
  stripe?: StripeLike;
  /** Inbound Stripe webhooks: the endpoint's signing secret (`whsec_…`). */
  webhooks?: {
    /** The endpoint's signing secret (`whsec_…`). */
    stripeSecret: string;
    /** Oldest accepted signature, in seconds. Default 300. */
    toleranceSeconds?: number;
  };
  /** The packages on sale. Default {@link defaultCatalogue}. */
  catalogue?: readonly CreditPackage[];
  /** The plans on offer (see `definePlans`). Default {@link defaultPlans}. */
  plans?: readonly CreditPlan[];
  /**
   * Rate limit hook; default a token bucket (20/s, burst 40) per browser account, kept in the
   * ledger's database when the ledger can share one across instances (Postgres:
   * {@link createLedgerRateLimit}), in memory otherwise. For Redis, see {@link rateLimitFrom}.
   * `false` disables.
   */
  rateLimit?: RateLimitFn | false;
  /**
   * The app's absolute URL (`https://app.example.com`): Stripe Checkout and the billing portal
   * return there. Without it (and without `successUrl`/`cancelUrl`) purchases answer
   * `503 PAYMENTS_NOT_CONFIGURED`, unless `trustHost` allows the request's own origin.
   */
  publicUrl?: string;
  /**
   * Build return URLs from the request's `Host` instead of `publicUrl`. The Host header is chosen
   * by the client, so `true` is only safe behind a proxy that sets it; a list allows only those
   * hosts (`host:port` as sent, e.g. `['localhost:8787', '127.0.0.1:8787']`) and falls back to
   * `publicUrl` for any other. Default `false`: a forged Host can never turn a genuine Stripe
   * page into a redirect to another site.
   */
  trustHost?: boolean | readonly string[];
  /**
   * Most live balance streams (`streamBalance`) one identity may hold open on this handler at once:
   * a browser user, or a server key per account. Beyond it a new stream answers
   * `429 TOO_MANY_STREAMS`. Default 8 (a few tabs); each stream costs a connection and a listener.
   */
  maxStreamsPerIdentity?: number;
  /** Overrides `${publicUrl}/payment?state=success&session_id={CHECKOUT_SESSION_ID}`. */
  successUrl?: string;
  /** Overrides `${publicUrl}/payment?state=cancel`. */
  cancelUrl?: string;
  /** A prefix the API is mounted under, e.g. `/api/credits` (stripped before routing). */
  basePath?: string;
  /** Default: `console`. */
  logger?: Logger;
  /** Largest accepted request body. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Interval of the SSE heartbeat comment. Default 15 s. */
  heartbeatMs?: number;
  /**
   * Clock of the usage summary's day range and forecast. Give it the ledger's clock when the ledger
   * has one (tests, replays), so both agree on what "today" is. Default `() => new Date()`.
   */
  now?: () => Date;
}

/** The handler. */
export interface CreditsHandler {
  (request: Request): Promise<Response>;
  /** Open balance streams of this handler (tests, metrics). */
  readonly openStreams: number;
  /**
   * The same pipeline for server adapters ({@link toNodeHandler}, {@link toExpressMiddleware}):
   * the request may be an {@link IncomingRequest} (the adapter's own request, read without
   * building a `Request` and a body stream), `signal` aborts when the client goes away, and JSON
   * answers come back as a {@link PreparedResponse} to write directly instead of a `Response`.
   * Event streams and webhooks still come back as a `Response`.
   */
  handle(request: Request | IncomingRequest, options?: { signal?: AbortSignal }): Promise<Response | PreparedResponse>;
  /**
   * Readiness for a load balancer's probe: `true` when the ledger's store answers (see
   * `LedgerAdapter.ping`), `false` while it cannot be reached. Never throws.
   */
  ready(): Promise<boolean>;
}

/**
 * Creates the HTTP handler of the Credits API. Validators, routes and the balance fan-out are
 * built once here; each request only matches, validates and runs its operation.
 *
 * - Every POST and PUT is idempotent on its `Idempotency-Key` header. Operations that move credits
 *   or money require it (`400 IDEMPOTENCY_KEY_MISSING`); for the others a request without it is
 *   simply not idempotent. The SDK always sends one.
 * - `me` is the identity's own account. A server key has none: it must name the account, and
 *   `me` answers `400 VALIDATION_FAILED`.
 * - Stripe webhooks are read raw (up to 1 MiB: losing a paid event to a size limit would be worse).
 *
 * @example
 * const handler = createCreditsHandler({
 *   ledger: createMemoryLedger(),
 *   identify: createServerKeyIdentify({ secretKey: process.env.CREDITS_SECRET_KEY! }),
 *   stripe: new Stripe(process.env.STRIPE_SECRET_KEY!),
 *   webhooks: { stripeSecret: process.env.STRIPE_WEBHOOK_SECRET! },
 * });
 * http.createServer(toNodeHandler(handler)).listen(8787);
 */
export function createCreditsHandler(options: CreditsHandlerOptions): CreditsHandler {
  const routes = buildRoutes();
  const missing = routes.filter((r) => !(r.operationId in operations)).map((r) => r.operationId);
  if (missing.length > 0) throw new Error(`createCreditsHandler: no implementation for ${missing.join(', ')}`);
  const hub = createBalanceHub(options.ledger);
  const ctx: HandlerContext = {
    ledger: options.ledger,
    stripe: options.stripe ?? null,
    stripeWebhookSecret: options.webhooks?.stripeSecret ?? null,
    stripeToleranceSeconds: options.webhooks?.toleranceSeconds ?? 300,
    catalogue: options.catalogue ?? defaultCatalogue,
    plans: options.plans ?? defaultPlans,
    logger: options.logger ?? console,
    hub,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    publicUrl: options.publicUrl?.replace(/\/+$/, '') ?? null,
    trustHost: options.trustHost ?? false,
    streams: createStreamCounter(options.maxStreamsPerIdentity ?? 8),
    successUrl: options.successUrl ?? null,
    cancelUrl: options.cancelUrl ?? null,
    now: options.now ?? (() => new Date()),
  };
  const pipeline = createPipeline(ctx, routes, operations, {
    identify: options.identify,
    rateLimit:
      options.rateLimit === false
        ? null
        : (options.rateLimit ?? (options.ledger.takeToken ? createLedgerRateLimit({ ledger: options.ledger }) : createTokenBucketRateLimit())),
    basePath: (options.basePath ?? '').replace(/\/+$/, ''),
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
  });
  const handler = (async (request: Request) => toResponse(await pipeline(request))) as CreditsHandler;
  Object.defineProperty(handler, 'handle', { value: (request: Request | IncomingRequest, opts?: { signal?: AbortSignal }) => pipeline(request, opts) });
  Object.defineProperty(handler, 'openStreams', { get: () => hub.size });
  Object.defineProperty(handler, 'ready', {
    value: async () => {
      try {
        await options.ledger.ping?.();
        return true;
      } catch {
        return false;
      }
    },
  });
  return handler;
}
