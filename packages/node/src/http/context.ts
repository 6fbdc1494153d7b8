/**
 * Types shared by the handler and its operations.
 * @module
 */
import type { CreditPackage } from '../catalogue.js';
import type { LedgerAdapter } from '../ledger/adapter.js';
import type { BalanceHub } from '../live/balance-hub.js';
import type { StreamCounter } from '../live/stream-counter.js';
import type { StripeLike } from '../stripe/stripe-like.js';
import type { Identity } from './auth.js';
import type { ValidatedParams } from './validation.js';
import type { Logger } from '../logger.js';

export type { Logger } from '../logger.js';

/** Everything an operation may use, built once per handler. */
export interface HandlerContext {
  ledger: LedgerAdapter;
  stripe: StripeLike | null;
  stripeWebhookSecret: string | null;
  stripeToleranceSeconds: number;
  catalogue: readonly CreditPackage[];
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

/** One request, after routing, authentication and validation. */
export interface OperationInput {
  request: Request;
  /** Aborts when the client goes away (ends open balance streams). */
  signal: AbortSignal;
  requestId: string;
  identity: Identity | null;
  /** The resolved account (never `me`); `null` for operations without `{accountId}`. */
  accountId: string | null;
  params: ValidatedParams;
  body: unknown;
  /** Idempotency of writes: the key (sent or generated) and the request hash. */
  idempotency: { key: string; generated: boolean; requestHash: string } | null;
}

/** What an operation answers: a JSON result, or a ready response (SSE, webhook ack). */
export type OperationResult = { status: number; body: unknown; replayed?: boolean; headers?: Record<string, string> } | Response;

/** An operation implementation. */
export type Operation = (ctx: HandlerContext, input: OperationInput) => Promise<OperationResult>;

/** The account of an operation that has `{accountId}` in its path. */
export function accountOf(input: OperationInput): string {
  if (!input.accountId) throw new Error('operation without accountId');
  return input.accountId;
}

/** Idempotency fields for a ledger write. */
export function idempotencyOf(input: OperationInput): { idempotencyKey: string; requestHash: string } {
  if (!input.idempotency) throw new Error('operation without idempotency');
  return { idempotencyKey: input.idempotency.key, requestHash: input.idempotency.requestHash };
}

/**
 * Runs a write that is not a ledger write (it calls Stripe, or stores settings) under the
 * ledger's idempotency records: a replay answers the stored response without running again.
 */
export async function withIdempotency(
  ctx: HandlerContext,
  input: OperationInput,
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<OperationResult> {
  const accountId = accountOf(input);
  const idem = input.idempotency;
  if (!idem || idem.generated) return run();
  const begun = await ctx.ledger.beginIdempotency(accountId, idem.key, idem.requestHash);
  if (begun.state === 'replay') {
    const stored = begun.response as { status: number; body: unknown };
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
