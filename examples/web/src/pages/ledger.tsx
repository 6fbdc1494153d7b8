import { useState, type FormEvent } from 'react';
import { CreditLedger } from '@aivah/credits-react/ui';
import { useLedgerExport } from '@aivah/credits-react';

const DAY_MS = 86_400_000;

/**
 * Every ledger entry, newest first: an audit trail where each row carries the balance after it, so
 * the history can be checked line by line; a call's hold shows what it reserved and how it ended.
 * "Download CSV" exports the same entries for any range of days (UTC), streamed by the server.
 */
export function LedgerPage() {
  const csv = useLedgerExport();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  function download(event: FormEvent) {
    event.preventDefault();
    // Whole UTC days: from the start of `from` to the end of `to` (the API's `to` is exclusive).
    void csv
      .download({
        from: from ? `${from}T00:00:00.000Z` : undefined,
        to: to ? new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS).toISOString() : undefined,
      })
      .catch(() => {});
  }

  return (
    <div className="content">
      <p className="muted lead page-intro">
        Every grant, purchase, consumption and hold. Entries are never edited; corrections are new entries.
      </p>
      <form className="export-form" onSubmit={download} aria-label="Export the ledger">
        <label>
          From (UTC)
          <input type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To (UTC, inclusive)
          <input type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="submit" className="btn" disabled={csv.pending}>
          {csv.pending ? 'Preparing…' : 'Download CSV'}
        </button>
        {csv.error ? (
          <p className="error-text" role="alert">
            Could not export the ledger: {csv.error.message}
          </p>
        ) : null}
      </form>
      <section className="card" aria-label="Ledger entries">
        <CreditLedger limit={25} data-testid="ledger" />
      </section>
    </div>
  );
}
