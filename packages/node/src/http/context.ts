/**
 * Types shared by the handler and its operations.
 * @module
 */
import type { CreditPackage } from '../catalogue.js';
import type { AutoTopUps, IdempotencyRecords, LedgerOperations, LedgerPlans, PaymentCustomers, PurchaseRecords } from '../ledger/adapter.js';
import type { CreditPlan } from '../plans.js';
import type { BalanceHub } from '../internal/live/balance-hub.js';
import type { StreamCounter } from '../internal/live/stream-counter.js';
import type { StripeLike } from '../stripe/stripe-like.js';
import type { Identity } from './auth.js';
import type { IncomingRequest } from './incoming.js';
import type { operations as SpecOperations } from '@aivah/credits';
import type { ValidatedParams } from './validation.js';
import type { Logger } from '../logger.js';

export type { Logger } from '../logger.js';

/** Everything an operation may use, built once per handler. */
export interface HandlerContext {
  /** The slices of the ledger the operations use. */
  ledger: LedgerOperations & PurchaseRecords & IdempotencyRecords & PaymentCustomers & AutoTopUps & LedgerPlans;
  stripe: StripeLike | null;
  stripeWebhookSecret: string | null;
  stripeToleranceSeconds: number;
  catalogue: readonly CreditPackage[];
  /** The plans on offer. */
  plans: readonly CreditPlan[];
  logger: Logger;
  hub: BalanceHub;
  heartbeatMs: number;
  /** Absolute app URL for Stripe redirects, without a trailing slash. */
  publicUrl: string | null;
  /** Whether (or for which hosts) the request's Host may pick the return URLs instead. */
  trustHost: boolean | readonly string[];
  /** Open balance streams per identity. */
  streams: StreamCounter;
  successUrl: string | null;
  cancelUrl: string | null;
  /** The handler's clock (usage ranges and forecasts). */
  now: () => Date;
}

/**
 * The operationIds the server implements: every operation of the spec's `paths`. (The spec's
 * outbound `webhooks` are operations too, named `on…`; the server sends those, it does not serve them.)
 */
export type OperationId = Exclude<keyof SpecOperations, `on${string}`>;

/** The JSON request body of an operation, from the spec (`undefined` for one without a body). */
export type OperationBody<K extends OperationId> = SpecOperations[K] extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : SpecOperations[K] extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B | undefined
    : undefined;

/** The validated query parameters of an operation, from the spec. */
export type OperationQuery<K extends OperationId> = SpecOperations[K]['parameters'] extends { query?: infer Q } ? NonNullable<Q> : Record<string, never>;

/** One request, after routing, authentication and validation. `K` types its body and query. */
export interface OperationInput<K extends OperationId = OperationId> {
  /** The request's line, headers and (for operations that read it raw) body. */
  request: IncomingRequest;
  /** Aborts when the client goes away (ends open balance streams); operations that do not stream get one that never aborts. */
  signal: AbortSignal;
  requestId: string;
  identity: Identity | null;
  /** The resolved account (never `me`); `null` for operations without `{accountId}`. */
  accountId: string | null;
  params: Omit<ValidatedParams, 'query'> & { query: OperationQuery<K> };
  /** The body, validated against the spec's schema by the pipeline. */
  body: OperationBody<K>;
  /** Idempotency of writes: the key (sent or generated) and the request hash. */
  idempotency: { key: string; generated: boolean; requestHash: string } | null;
}

type SpecResponses<K extends OperationId> = SpecOperations[K]['responses'];

/** The JSON body of an operation's success answer (200 or 201), from the spec. */
export type OperationSuccessBody<K extends OperationId> = {
  [S in keyof SpecResponses<K>]: S extends 200 | 201
    ? SpecResponses<K>[S] extends { content: { 'application/json': infer B } }
      ? B
      : never
    : never;
}[keyof SpecResponses<K>];

/** What an operation answers: its spec-typed JSON result, or a ready response (SSE, webhook ack). */
export type OperationResult<K extends OperationId = OperationId> =
  | { status: number; body: OperationSuccessBody<K>; replayed?: boolean; headers?: Record<string, string> }
  | Response;

/** An operation implementation; `Operation<'consumeCredits'>` gets that operation's typed input and result. */
export type Operation<K extends OperationId = OperationId> = (ctx: HandlerContext, input: OperationInput<K>) => Promise<OperationResult<K>>;

/** The account of an operation that has `{accountId}` in its path. */
export function accountOf(input: Pick<OperationInput, 'accountId'>): string {
  if (!input.accountId) throw new Error('operation without accountId');
  return input.accountId;
}

/** Idempotency fields for a ledger write. */
export function idempotencyOf(input: Pick<OperationInput, 'idempotency'>): { idempotencyKey: string; requestHash: string } {
  if (!input.idempotency) throw new Error('operation without idempotency');
  return { idempotencyKey: input.idempotency.key, requestHash: input.idempotency.requestHash };
}

/**
 * Runs a write that is not a ledger write (it calls Stripe, or stores settings) under the
 * ledger's idempotency records: a replay answers the stored response without running again.
 */
export async function withIdempotency<K extends OperationId>(
  ctx: HandlerContext,
  input: OperationInput<K>,
  run: () => Promise<{ status: number; body: OperationSuccessBody<K> }>,
): Promise<OperationResult<K>> {
  const accountId = accountOf(input);
  const idem = input.idempotency;
  if (!idem || idem.generated) return run();
  const begun = await ctx.ledger.beginIdempotency(accountId, idem.key, idem.requestHash);
  if (begun.state === 'replay') {
    // What this operation answered the first time, stored by the branch below.
    const stored = begun.response as { status: number; body: OperationSuccessBody<K> };
    return { ...stored, replayed: true };
  }
  try {
    const result = await run();
    await ctx.ledger.completeIdempotency(accountId, idem.key, result);
    return result;
  } catch (error) {
    // Free the key so a retry can run; for Stripe calls the retry reuses Stripe's own idempotency
    // key, so it gets the same session back rather than a second one.
    await ctx.ledger.abandonIdempotency(accountId, idem.key).catch(() => {});
    throw error;
  }
}
