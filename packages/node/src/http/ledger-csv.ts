/**
 * The ledger as CSV (the audit trail export): RFC 4180 text, streamed one ledger page at a time.
 * @module
 */
import type { LedgerOperations } from '../ledger/adapter.js';
import type { LedgerEntry, Page } from '../ledger/types.js';

/** The header row; the spec's `exportLedgerEntries` documents the same columns. */
export const LEDGER_CSV_COLUMNS = [
  'created_at', 'seq', 'entry_id', 'type', 'amount', 'balance_after', 'feature', 'source', 'grant_id', 'hold_id', 'description', 'metadata',
] as const;

/** Entries read per ledger call while exporting: the most the export holds in memory at once. */
export const EXPORT_PAGE_SIZE = 200;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * One CSV cell. Numbers are written as they are. Text that a spreadsheet would run as a formula
 * (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return: CSV injection) gets a leading `'`,
 * which spreadsheets show as text; then text with a comma, quote, line break or edge space is
 * quoted with inner quotes doubled (RFC 4180). `null` is an empty cell.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One entry as a CSV line, CRLF-terminated. */
export function ledgerCsvRow(e: LedgerEntry): string {
  const metadata = Object.keys(e.metadata).length ? JSON.stringify(e.metadata) : '{}';
  return [
    e.createdAt, e.seq, e.id, e.type, e.amount, e.balanceAfter, e.feature, e.source, e.grantId, e.holdId, e.description, metadata,
  ].map(csvCell).join(',') + '\r\n';
}

/** What {@link ledgerCsvStream} reads: one account's entries in `[from, to)`. */
export interface LedgerCsvQuery {
  accountId: string;
  from?: string;
  to?: string;
}

/**
 * The CSV of a range, as a pull stream: each read of the consumer asks the ledger for one more
 * page, so a slow client holds the export back instead of the server buffering the ledger, and a
 * client that goes away stops it. `first` is the first page, read before answering so that a
 * failure there is still a problem response. A failure on a later page errors the stream: the
 * client sees a cut-off transfer, never a short file that looks complete.
 */
export function ledgerCsvStream(ledger: Pick<LedgerOperations, 'listEntries'>, query: LedgerCsvQuery, first: Page<LedgerEntry>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let page = first;
  let header = `${LEDGER_CSV_COLUMNS.join(',')}\r\n`;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const text = header + page.data.map(ledgerCsvRow).join('');
        header = '';
        if (text) controller.enqueue(encoder.encode(text));
        if (!page.nextCursor) {
          controller.close();
          return;
        }
        page = await ledger.listEntries({ ...query, cursor: page.nextCursor, limit: EXPORT_PAGE_SIZE });
      },
    },
    { highWaterMark: 0 },
  );
}
