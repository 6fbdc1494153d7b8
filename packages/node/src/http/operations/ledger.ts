/**
 * The Ledger operation: `listLedgerEntries`.
 * @module
 */
import { accountOf, type Operation } from '../context.js';

/** `listLedgerEntries`: Entries newest first, keyset-paginated. */
export const listLedgerEntries: Operation = async (ctx, input) => {
  const query = input.params.query;
  const page = await ctx.ledger.listEntries({
    accountId: accountOf(input),
    cursor: (query.cursor as string | undefined) ?? null,
    limit: query.limit as number | undefined,
    type: query.type as never,
  });
  return { status: 200, body: page };
};
