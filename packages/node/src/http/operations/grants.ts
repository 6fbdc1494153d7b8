/**
 * The Grants operation: `createGrant`.
 * @module
 */
import { accountOf, idempotencyOf, type Operation } from '../context.js';

/** `createGrant`: Adds credits (plans, promotions, adjustments). */
export const createGrant: Operation<'createGrant'> = async (ctx, input) => {
  const { body } = input;
  const result = await ctx.ledger.grant({
    accountId: accountOf(input),
    amount: body.amount,
    source: body.source,
    expiresAt: body.expiresAt,
    priority: body.priority,
    description: body.description,
    metadata: body.metadata,
    ...idempotencyOf(input),
  });
  return { status: 201, body: { grantId: result.grantId, entry: result.entry, balance: result.balance }, replayed: result.replayed };
};
