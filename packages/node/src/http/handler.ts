/**
 * `createCreditsHandler`: the whole API as one fetch-standard `(Request) => Promise<Response>`.
 * @module
 */
import { defaultCatalogue, type CreditPackage } from '../catalogue.js';
import type { BalanceEvents, IdempotencyRecords, LedgerOperations } from '../ledger/adapter.js';
import { createBalanceHub } from '../live/balance-hub.js';
import type { StripeLike } from '../stripe/stripe-like.js';
import type { IdentifyFn } from './auth.js';
import type { HandlerContext, Logger } from './context.js';
import { operations } from './operations/index.js';
import { createPipeline, toResponse, type RawResult } from './pipeline.js';
import { createTokenBucketRateLimit, type RateLimitFn } from './rate-limit.js';
import { buildRoutes } from './routes.js';

/** Options of {@link createCreditsHandler}. */
export interface CreditsHandlerOptions {
  /** The ledger (memory, PGlite, Postgres or your own adapter): the slices the handler uses. */
  ledger: LedgerOperations & IdempotencyRecords & BalanceEvents;
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
  /** Rate limit hook; default a token bucket (20/s, burst 40) per browser account. `false` disables. */
  rateLimit?: RateLimitFn | false;
  /** The app's absolute URL for Stripe redirects (default: the request's origin). */
  publicUrl?: string;
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

/** Where a handler keeps its raw pipeline for {@link toNodeHandler}'s fast path. */
export const RAW_HANDLER: unique symbol = Symbol.for('aivah.credits.rawHandler');

/** The raw pipeline of a handler created by {@link createCreditsHandler}, if `handler` is one. */
export function rawHandlerOf(handler: unknown): ((request: Request) => Promise<Response | RawResult>) | undefined {
  return (handler as { [RAW_HANDLER]?: (request: Request) => Promise<Response | RawResult> })[RAW_HANDLER];
}

/** The handler. */
export interface CreditsHandler {
  (request: Request): Promise<Response>;
  /** Open balance streams of this handler (tests, metrics). */
  readonly openStreams: number;
}

/**
 * Creates the HTTP handler of the Credits API. Validators, routes and the balance fan-out are
 * built once here; each request only matches, validates and runs its operation.
 *
 * - Every POST and PUT is idempotent on its `Idempotency-Key` header. Without the header the
 *   server makes a fresh key, i.e. that call is not idempotent (the SDK always sends one).
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
  const missing = routes.filter((r) => !operations[r.operationId]).map((r) => r.operationId);
  if (missing.length > 0) throw new Error(`createCreditsHandler: no implementation for ${missing.join(', ')}`);
  const hub = createBalanceHub(options.ledger);
  const ctx: HandlerContext = {
    ledger: options.ledger,
    stripe: options.stripe ?? null,
    stripeWebhookSecret: options.webhooks?.stripeSecret ?? null,
    stripeToleranceSeconds: options.webhooks?.toleranceSeconds ?? 300,
    catalogue: options.catalogue ?? defaultCatalogue,
    logger: options.logger ?? console,
    hub,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    publicUrl: options.publicUrl ?? null,
    successUrl: options.successUrl ?? null,
    cancelUrl: options.cancelUrl ?? null,
    now: options.now ?? (() => new Date()),
  };
  const pipeline = createPipeline(ctx, routes, operations, {
    identify: options.identify,
    rateLimit: options.rateLimit === false ? null : (options.rateLimit ?? createTokenBucketRateLimit()),
    basePath: (options.basePath ?? '').replace(/\/+$/, ''),
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
  });
  const handler = (async (request: Request) => toResponse(await pipeline(request))) as CreditsHandler;
  Object.defineProperty(handler, 'openStreams', { get: () => hub.size });
  // The node adapter's fast path: the same pipeline without wrapping JSON answers in a Response.
  Object.defineProperty(handler, RAW_HANDLER, { value: pipeline });
  return handler;
}
