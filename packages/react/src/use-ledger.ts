import type { CreditsClient, LedgerEntry } from '@aivah/credits';
import { useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { useCursorPages, type CursorPagesState } from './internal/cursor-pages.js';
import { ledgerKey } from './query-keys.js';

type PageParams = NonNullable<Parameters<CreditsClient['ledger']['page']>[1]>;

/** Options of {@link useLedger}. */
export interface UseLedgerOptions extends CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
  /** Entries per page (server default 50, at most 200). */
  limit?: number;
  /** Only entries of this type (`grant`, `consume`, `hold_capture`, …). */
  type?: PageParams['type'];
}

/** What {@link useLedger} returns. */
export interface UseLedgerResult extends CursorPagesState {
  /** Every entry loaded so far, newest first. */
  entries: LedgerEntry[];
}

/**
 * The account's ledger, newest first, one cursor page at a time (`useInfiniteQuery`).
 *
 * @example
 * const { entries, hasNextPage, fetchNextPage } = useLedger({ limit: 20 });
 * entries.map((e) => <tr key={e.id}><td>{e.type}</td><td>{e.amount}</td><td>{e.balanceAfter}</td></tr>);
 * {hasNextPage && <button onClick={() => fetchNextPage()}>Older</button>}
 */
export function useLedger(options: UseLedgerOptions = {}): UseLedgerResult {
  const { client, queryClient } = useCreditsContext(options);
  const accountId = options.accountId ?? 'me';
  const { limit, type } = options;
  const { items, ...paging } = useCursorPages(ledgerKey(accountId, { limit, type }), (cursor, signal) => client.ledger.page(accountId, { cursor, limit, type }, { signal }), queryClient);
  return { entries: items, ...paging };
}
