/**
 * The Consumption operations: `consumeCredits` and the holds (`createHold`, `captureHold`, `releaseHold`).
 * @module
 */
import type { Balance, Hold } from '../../ledger/types.js';
import { isLedgerError } from '../../ledger/errors.js';
import { accountOf, idempotencyOf, type Operation, type OperationSuccessBody } from '../context.js';
import { HttpProblem } from '../problem.js';
import { balanceOrZero } from './balance.js';

/**
 * Spending from an account that never had a grant is "too few credits" (402, available 0), not
 * 404: to the caller an account without grants is an account with a zero balance.
 */
async function spending<T>(amount: number, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isLedgerError(error, 'ACCOUNT_NOT_FOUND')) throw error;
    throw new HttpProblem('INSUFFICIENT_CREDITS', `This needs ${amount} credits but only 0 are available.`, { available: 0, required: amount });
  }
}

/** The spec's `Hold` answer: the hold and the balance after it. */
function holdBody(hold: Hold, balance: Balance): OperationSuccessBody<'createHold'> {
  const { replayed: _replayed, ...rest } = hold;
  return { ...rest, balance };
}

/** `consumeCredits`: Spends credits now; 402 with `available`/`required` when too few. */
export const consumeCredits: Operation<'consumeCredits'> = async (ctx, input) => {
  const { body } = input;
  const result = await spending(body.amount, () => ctx.ledger.consume({
    accountId: accountOf(input),
    amount: body.amount,
    feature: body.feature,
    description: body.description,
    metadata: body.metadata,
    ...idempotencyOf(input),
  }));
  return { status: 201, body: { entry: result.entry, balance: result.balance }, replayed: result.replayed };
};

/** `createHold`: Reserves credits; answers the hold with the balance after it. */
export const createHold: Operation<'createHold'> = async (ctx, input) => {
  const { body } = input;
  const accountId = accountOf(input);
  const hold = await spending(body.amount, () => ctx.ledger.createHold({
    accountId,
    amount: body.amount,
    feature: body.feature,
    ttlSeconds: body.ttlSeconds,
    description: body.description,
    metadata: body.metadata,
    ...idempotencyOf(input),
  }));
  return { status: 201, body: holdBody(hold, await balanceOrZero(ctx.ledger, accountId)), replayed: Boolean(hold.replayed) };
};

/** `captureHold`: Spends part of a hold and releases the rest. */
export const captureHold: Operation<'captureHold'> = async (ctx, input) => {
  const { body } = input;
  const accountId = accountOf(input);
  const hold = await ctx.ledger.captureHold({
    accountId,
    holdId: input.params.path.holdId!,
    amount: body.amount,
    description: body.description,
    ...idempotencyOf(input),
  });
  return { status: 200, body: holdBody(hold, await balanceOrZero(ctx.ledger, accountId)), replayed: Boolean(hold.replayed) };
};

/** `releaseHold`: Releases a hold without spending. */
export const releaseHold: Operation<'releaseHold'> = async (ctx, input) => {
  const accountId = accountOf(input);
  const hold = await ctx.ledger.releaseHold({ accountId, holdId: input.params.path.holdId!, ...idempotencyOf(input) });
  return { status: 200, body: holdBody(hold, await balanceOrZero(ctx.ledger, accountId)), replayed: Boolean(hold.replayed) };
};
