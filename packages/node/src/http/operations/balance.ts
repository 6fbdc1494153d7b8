/**
 * The Balance operations: `getBalance` and the live `streamBalance`.
 * @module
 */
import type { LedgerOperations } from '../../ledger/adapter.js';
import type { Balance } from '../../ledger/types.js';
import { createBalanceStream } from '../../internal/live/balance-stream.js';
import { accountOf, type Operation } from '../context.js';
import { HttpProblem } from '../problem.js';

/** The balance of an account that never had a grant: zero, version 0 (the spec's answer, not 404). */
export function zeroBalance(accountId: string): Balance {
  return { accountId, available: 0, held: 0, deficit: 0, grants: [], expiringNext: null, version: 0, updatedAt: new Date(0).toISOString() };
}

/** Reads a balance, answering zero for an account without grants. */
export async function balanceOrZero(ledger: Pick<LedgerOperations, 'getBalance'>, accountId: string): Promise<Balance> {
  return (await ledger.getBalance(accountId)) ?? zeroBalance(accountId);
}

/** `getBalance`: The balance; zero (version 0) for an account without grants. */
export const getBalance: Operation<'getBalance'> = async (ctx, input) => ({ status: 200, body: await balanceOrZero(ctx.ledger, accountOf(input)) });


/** `streamBalance`: Server-Sent Events of the balance, capped per identity. */
export const streamBalance: Operation<'streamBalance'> = async (ctx, input) => {
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
