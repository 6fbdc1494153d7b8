import { useCallback, useRef, useState } from 'react';
import { useCreditsContext, type CreditsHookOptions } from './internal/context.js';

/** Options of {@link useLedgerExport}. */
export interface UseLedgerExportOptions extends CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
}

/** The range of an export: ISO instants, `from` inclusive, `to` exclusive (default: until now). */
export interface LedgerExportRange {
  /** Start of the range (inclusive); absent: the beginning of the ledger. */
  from?: string;
  /** End of the range (exclusive); absent: now. */
  to?: string;
}

/** What {@link useLedgerExport} returns. */
export interface UseLedgerExportResult {
  /**
   * Downloads the ledger of the range as a CSV file (the name the server gives it), in the
   * browser. Resolves when the file was handed to the browser; rejects (and sets `error`) on failure.
   */
  download: (range?: LedgerExportRange) => Promise<void>;
  /** True while a download runs. */
  pending: boolean;
  /** The error of the last failed download, else `null`. */
  error: Error | null;
}

const FILENAME = /filename="([^"]+)"/;

/**
 * The "Download CSV" action of a ledger page: fetches `exportLedgerEntries` with the client's
 * credentials and saves the answer as a file. A download aborts when the component unmounts
 * or another starts.
 *
 * @example
 * const csv = useLedgerExport();
 * <button onClick={() => csv.download({ from: '2026-11-01T00:00:00Z' })} disabled={csv.pending}>Download CSV</button>
 */
export function useLedgerExport(options: UseLedgerExportOptions = {}): UseLedgerExportResult {
  const { client } = useCreditsContext(options);
  const accountId = options.accountId ?? 'me';
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const running = useRef<AbortController | null>(null);

  const download = useCallback(
    async (range: LedgerExportRange = {}) => {
      running.current?.abort();
      const controller = (running.current = new AbortController());
      setPending(true);
      setError(null);
      try {
        const res = await client.ledger.exportCsv(accountId, range, { signal: controller.signal });
        const link = document.createElement('a');
        link.download = FILENAME.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'ledger.csv';
        link.href = URL.createObjectURL(await res.blob());
        document.body.appendChild(link);
        link.click();
        link.remove();
        // After the click the browser holds its own reference to the file.
        setTimeout(() => URL.revokeObjectURL(link.href), 0);
      } catch (e) {
        if (controller.signal.aborted) return;
        setError(e as Error);
        throw e;
      } finally {
        if (running.current === controller) {
          running.current = null;
          setPending(false);
        }
      }
    },
    [client, accountId],
  );

  return { download, pending, error };
}
