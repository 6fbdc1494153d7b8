import { useBalance, useBuyCreditsDialog, useCreditPackages, useCreditsFormat } from '@aivah/credits-react';
import { useOpenBillingPortal } from '../billing';

/**
 * "View plans" from the payment page. Honest about what exists today: the account's plan credits
 * (granted once when the demo account was made; plans that renew each period are not offered yet),
 * and the one-off packages that stack on top of them, each one click from the Buy Credits dialog.
 */
export function PlansPage() {
  const { balance } = useBalance();
  const { packages } = useCreditPackages();
  const dialog = useBuyCreditsDialog();
  const billing = useOpenBillingPortal();
  const format = useCreditsFormat();
  const left = (source: string) => balance?.grants.filter((g) => g.source === source).reduce((sum, g) => sum + g.remaining, 0);
  const plan = left('plan');
  const purchased = left('purchase');

  return (
    <div className="content">
      <p className="muted lead page-intro">Credits come from your plan and from one-off packages, which stack on top of plan credits.</p>
      <div className="grid grid-2">
        <section className="card" aria-labelledby="plan-title">
          <h2 id="plan-title">Your plan</h2>
          <dl className="facts">
            <div>
              <dt>Plan credits left</dt>
              <dd className="num" data-testid="plan-credits">{plan === undefined ? '…' : format.credits(plan)}</dd>
            </div>
            <div>
              <dt>Purchased credits left</dt>
              <dd className="num" data-testid="purchased-credits">{purchased === undefined ? '…' : format.credits(purchased)}</dd>
            </div>
          </dl>
          <p className="muted">
            This demo account received its plan credits once, when it was created. Plans whose credits renew every month are not
            offered here yet, so there is no plan to switch to: top up with a package instead. Payment methods and receipts are
            in billing.
          </p>
          <div className="actions actions-start">
            <button type="button" className="btn" onClick={() => void billing.open()} disabled={billing.pending}>
              Manage billing
            </button>
          </div>
          {billing.error ? (
            <p className="error-text" role="alert">
              Could not open billing: {billing.error.message}
            </p>
          ) : null}
        </section>
        <section className="card" aria-labelledby="packages-title">
          <h2 id="packages-title">One-off packages</h2>
          <ul className="package-list">
            {packages.map((pkg) => (
              <li key={pkg.id}>
                <span>
                  <strong className="num">{format.credits(pkg.credits)}</strong>
                  <span className="muted num"> · {format.price(pkg.price)}</span>
                </span>
                <button type="button" className="btn btn-sm" onClick={() => dialog.setOpen(true, pkg.id)}>
                  Buy<span className="sr-only"> {format.credits(pkg.credits)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
