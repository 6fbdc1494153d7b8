/**
 * The Purchases operation: `listPurchases`, the purchases with their Stripe receipts.
 * @module
 */
import { accountOf, type Operation } from '../context.js';

/** `listPurchases`: Fulfilled purchases newest first, keyset-paginated, each with its receipt URL. */
export const listPurchases: Operation<'listPurchases'> = async (ctx, input) => {
  const query = input.params.query;
  const page = await ctx.ledger.listPurchases({ accountId: accountOf(input), cursor: query.cursor ?? null, limit: query.limit });
  return { status: 200, body: page };
};
