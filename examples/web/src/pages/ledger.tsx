import { useState } from 'react';
import { useLedger } from '@aivah/credits-react';
import type { EntryType, LedgerEntry } from '@aivah/credits';

const TYPE_LABELS: Record<EntryType, string> = {
  grant: 'Grant',
  consume: 'Consumption',
  hold: 'Hold',
  hold_capture: 'Hold captured',
  hold_release: 'Hold released',
  hold_expire: 'Hold expired',
  grant_expired: 'Grant expired',
  reversal: 'Reversal',
};

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'medium' });

function what(entry: LedgerEntry): string {
  if (entry.description) return entry.description;
  if (entry.source) return `${entry.source[0]!.toUpperCase()}${entry.source.slice(1)} credits`;
  return entry.feature ?? '—';
}

/**
 * Every ledger entry, newest first: an audit trail where each row carries the balance after it,
 * so the history can be checked line by line.
 */
export function LedgerPage() {
  const [type, setType] = useState<EntryType | ''>('');
  const ledger = useLedger({ limit: 25, type: type || undefined });

  return (
    <div className="content">
      <div className="page-header">
        <div>
          <p className="muted lead">Every grant, purchase, consumption and hold. Entries are never edited; corrections are new entries.</p>
        </div>
        <div className="field" style={{ margin: 0 }}>
          <label htmlFor="type-filter">Type</label>
          <select id="type-filter" className="btn btn-sm" value={type} onChange={(e) => setType(e.target.value as EntryType | '')}>
            <option value="">All entries</option>
            {Object.entries(TYPE_LABELS).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </div>
      </div>
      <section className="card" aria-labelledby="ledger-title">
        <h3 id="ledger-title" className="sr-only">
          Ledger entries
        </h3>
        <div className="table-wrap">
          <table data-testid="ledger-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Date</th>
                <th scope="col">Type</th>
                <th scope="col">Details</th>
                <th scope="col">Feature / source</th>
                <th scope="col" className="amount">
                  Amount
                </th>
                <th scope="col" className="amount">
                  Balance after
                </th>
              </tr>
            </thead>
            <tbody>
              {ledger.status === 'pending' ? (
                <tr>
                  <td colSpan={7} className="muted">
                    Loading…
                  </td>
                </tr>
              ) : null}
              {ledger.status === 'success' && ledger.entries.length === 0 ? (
                <tr>
                  <td colSpan={7} className="muted">
                    No entries yet.
                  </td>
                </tr>
              ) : null}
              {ledger.entries.map((entry) => (
                <tr key={entry.id} data-type={entry.type}>
                  <td className="num muted">{entry.seq}</td>
                  <td className="num nowrap">{dateFormat.format(new Date(entry.createdAt))}</td>
                  <td>
                    <span className="type-badge">{TYPE_LABELS[entry.type] ?? entry.type}</span>
                  </td>
                  <td>{what(entry)}</td>
                  <td className="muted">{entry.feature ?? entry.source ?? '—'}</td>
                  <td className={`amount ${entry.amount > 0 ? 'pos' : 'neg'}`}>
                    {entry.amount > 0 ? '+' : entry.amount < 0 ? '−' : ''}
                    {Math.abs(entry.amount).toLocaleString('en-US')}
                  </td>
                  <td className="amount">{entry.balanceAfter.toLocaleString('en-US')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {ledger.error ? (
          <p className="error-text" role="alert">
            {ledger.error.message}
          </p>
        ) : null}
        {ledger.hasNextPage ? (
          <div className="actions">
            <button type="button" className="btn" onClick={() => void ledger.fetchNextPage()} disabled={ledger.isFetchingNextPage}>
              {ledger.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
      </section>
    </div>
  );
}
