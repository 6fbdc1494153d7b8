/**
 * The Ledger operations: `listLedgerEntries`, and `exportLedgerEntries` (the CSV audit trail).
 * @module
 */
import { accountOf, type Operation } from '../context.js';
import { EXPORT_PAGE_SIZE, ledgerCsvStream } from '../ledger-csv.js';
import { HttpProblem } from '../problem.js';

/** Refuses a range whose `from` is not before `to`, naming the query parameter. */
function checkRange(from: string | undefined, to: string | undefined, toIsNow = false): void {
  if (from === undefined || to === undefined || Date.parse(from) < Date.parse(to)) return;
  const message = toIsNow ? 'must be in the past (to defaults to now)' : 'must be before to';
  throw new HttpProblem('VALIDATION_FAILED', `query/from ${message}.`, { errors: [{ path: 'query/from', message }] });
}

/** `listLedgerEntries`: Entries newest first, keyset-paginated, optionally of `[from, to)`. */
export const listLedgerEntries: Operation<'listLedgerEntries'> = async (ctx, input) => {
  const query = input.params.query;
  checkRange(query.from, query.to);
  const page = await ctx.ledger.listEntries({
    accountId: accountOf(input),
    cursor: query.cursor ?? null,
    limit: query.limit,
    type: query.type,
    from: query.from,
    to: query.to,
  });
  return { status: 200, body: page };
};

/** `exportLedgerEntries`: The entries of `[from, to)` as streamed CSV, newest first. */
export const exportLedgerEntries: Operation<'exportLedgerEntries'> = async (ctx, input) => {
  const accountId = accountOf(input);
  const { from } = input.params.query;
  // Without `to` the export ends now, so a download names a fixed range even while entries arrive.
  // `to` is exclusive: one millisecond past now keeps an entry written in this very millisecond.
  const to = input.params.query.to ?? new Date(ctx.now().getTime() + 1).toISOString();
  checkRange(from, to, input.params.query.to === undefined);
  const query = { accountId, from, to };
  // The first page is read before answering, so that a failure here is still a problem response.
  const first = await ctx.ledger.listEntries({ ...query, limit: EXPORT_PAGE_SIZE });
  const day = (iso: string | undefined) => (iso ? new Date(iso).toISOString().slice(0, 10) : 'start');
  return new Response(ledgerCsvStream(ctx.ledger, query, first), {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="ledger-${accountId}-${day(from)}-${day(to)}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-request-id': input.requestId,
    },
  });
};
