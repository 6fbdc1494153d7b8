/**
 * The Ledger operation: `listLedgerEntries`.
 * @module
 */
import { accountOf, type Operation } from '../context.js';

/** `listLedgerEntries`: Entries newest first, keyset-paginated. */
export const listLedgerEntries: Operation<'listLedgerEntries'> = async (ctx, input) => {
  const query = input.params.query;
  const page = await ctx.ledger.listEntries({
    accountId: accountOf(input),
    cursor: query.cursor ?? null,
    limit: query.limit,
    type: query.type,
  });
  return { status: 200, body: page };
};
