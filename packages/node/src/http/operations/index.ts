/**
 * Every operation of the spec, by operationId. The handler refuses to start if the spec names an
 * operation this table lacks, so the two cannot drift apart silently.
 * @module
 */
import { createBalanceStream } from '../../live/balance-stream.js';
import { createBillingPortalSession, createCheckoutSession, getCheckoutSession } from '../../stripe/checkout-ops.js';
import { receiveStripeWebhook } from '../../stripe/webhook-op.js';
import { accountOf, type Operation } from '../context.js';
import { HttpProblem } from '../problem.js';
import { getAlertSettings, getUsageSummary, updateAlertSettings } from './insights-ops.js';
import {
  balanceOrZero,
  captureHold,
  consumeCredits,
  createGrant,
  createHold,
  getBalance,
  listLedgerEntries,
  releaseHold,
} from './ledger-ops.js';

const streamBalance: Operation = async (ctx, input) => {
  const accountId = accountOf(input);
  // A browser user is one identity whatever account path it names; a server key counts per account.
  const identityKey = `${input.identity?.kind ?? 'browser'}:${input.identity?.accountId ?? accountId}`;
  const release = ctx.streams.acquire(identityKey);
  if (!release) {
    throw new HttpProblem(
      'TOO_MANY_STREAMS',
      `This identity already holds ${ctx.streams.limit} live balance streams. Close one (one stream per account is enough for a whole page), or poll getBalance.`,
      {},
      { 'retry-after': '30' },
    );
  }
  const body = createBalanceStream({
    onClose: release,
    hub: ctx.hub,
    accountId,
    read: () => balanceOrZero(ctx.ledger, accountId),
    lastEventId: input.params.header['Last-Event-ID'] ?? null,
    heartbeatMs: ctx.heartbeatMs,
    signal: input.signal,
  });
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells nginx not to buffer the stream.
      'x-accel-buffering': 'no',
      'x-request-id': input.requestId,
    },
  });
};

const listCreditPackages: Operation = async (ctx) => ({
  status: 200,
  body: { data: [...ctx.catalogue].sort((a, b) => a.price.amount - b.price.amount) },
});

/** The implementation of each operationId. */
export const operations: Record<string, Operation> = {
  getBalance,
  streamBalance,
  listCreditPackages,
  createCheckoutSession,
  getCheckoutSession,
  consumeCredits,
  createHold,
  captureHold,
  releaseHold,
  listLedgerEntries,
  createGrant,
  getUsageSummary,
  getAlertSettings,
  updateAlertSettings,
  createBillingPortalSession,
  receiveStripeWebhook,
};
