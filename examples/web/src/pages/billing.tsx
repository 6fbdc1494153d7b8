import type { Purchase } from '@aivah/credits';
import { useBuyCreditsDialog, useCreditPackages, useCreditsFormat, usePurchases } from '@aivah/credits-react';
import { useOpenBillingPortal } from '../billing';

const STATUS: Record<Purchase['status'], string | null> = {
  paid: null,
  partially_refunded: 'Partly refunded',
  refunded: 'Refunded',
  disputed: 'Disputed',
};

const dateFormat = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });

/**
 * Billing: every purchase with its date, package, credits, amount and Stripe receipt (the hosted
 * invoice, or the charge receipt), and the way to Stripe's billing portal for payment methods.
 */
export function BillingPage() {
  const { purchases, status, error, hasNextPage, fetchNextPage, isFetchingNextPage } = usePurchases({ limit: 20 });
  const { packages } = useCreditPackages();
  const format = useCreditsFormat();
  const portal = useOpenBillingPortal();
  const dialog = useBuyCreditsDialog();
  const packageName = (id: string) => packages.find((p) => p.id === id)?.name ?? id;

  return (
    <div className="content">
      <div className="page-header">
        <p className="muted lead">Your credit purchases and their receipts. Payment methods and invoices live in the billing portal.</p>
        <button type="button" className="btn" onClick={() => void portal.open()} disabled={portal.pending}>
          Payment methods and invoices
        </button>
      </div>
      {portal.error ? (
        <p className="error-text" role="alert">
          Could not open the billing portal: {portal.error.message}
        </p>
      ) : null}
      <section className="card" aria-labelledby="purchases-title">
        <h2 id="purchases-title">
          Purchases
        </h2>
        {status === 'pending' ? <p className="muted">Loading…</p> : null}
        {status === 'error' ? (
          <p className="error-text" role="alert">
            Could not load purchases: {error?.message}
          </p>
        ) : null}
        {status === 'success' && purchases.length === 0 ? (
          <div className="empty-state">
            <p className="muted">No purchases yet.</p>
            <button type="button" className="btn btn-primary" onClick={() => dialog.setOpen(true)}>
              Buy credits
            </button>
          </div>
        ) : null}
        {purchases.length > 0 ? (
          // Focusable, so the table can be scrolled sideways with the keyboard on a narrow screen.
          <div className="table-scroll" role="region" aria-label="Purchases table" tabIndex={0}>
            <table className="data-table" data-testid="purchases">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Package</th>
                  <th scope="col" data-numeric>
                    Credits
                  </th>
                  <th scope="col" data-numeric>
                    Amount
                  </th>
                  <th scope="col">Receipt</th>
                </tr>
              </thead>
              <tbody>
                {purchases.map((p) => (
                  <tr key={p.id} data-status={p.status}>
                    <td>
                      <time dateTime={p.createdAt}>{dateFormat.format(new Date(p.createdAt))}</time>
                    </td>
                    <td>
                      {packageName(p.packageId)}
                      {STATUS[p.status] ? <span className="badge">{STATUS[p.status]}</span> : null}
                    </td>
                    <td data-numeric>{format.number(p.credits)}</td>
                    <td data-numeric>{format.price({ amount: p.amountTotal, currency: p.currency })}</td>
                    <td>
                      {p.receiptUrl ? (
                        <a href={p.receiptUrl} target="_blank" rel="noreferrer">
                          Receipt<span className="sr-only"> for the purchase of {dateFormat.format(new Date(p.createdAt))} (opens in a new tab)</span>
                        </a>
                      ) : (
                        <span className="muted">Being prepared</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {hasNextPage ? (
          <button type="button" className="btn btn-sm" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage} style={{ marginTop: 12 }}>
            {isFetchingNextPage ? 'Loading…' : 'Older purchases'}
          </button>
        ) : null}
      </section>
    </div>
  );
}
