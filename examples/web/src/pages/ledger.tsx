import { CreditLedger } from '@aivah/credits-react/ui';

/**
 * Every ledger entry, newest first: an audit trail where each row carries the balance after it, so
 * the history can be checked line by line; a call's hold shows what it reserved and how it ended.
 */
export function LedgerPage() {
  return (
    <div className="content">
      <p className="muted lead page-intro">
        Every grant, purchase, consumption and hold. Entries are never edited; corrections are new entries.
      </p>
      <section className="card" aria-label="Ledger entries">
        <CreditLedger limit={25} data-testid="ledger" />
      </section>
    </div>
  );
}
