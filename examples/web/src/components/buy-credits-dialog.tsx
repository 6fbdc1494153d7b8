import { useBalance, useBuyCredits, useBuyCreditsDialog, useCreditPackages } from '@aivah/credits-react';
import { Icon } from './icons';
import { formatCredits, formatMoney } from '@aivah/credits';
import { Modal } from './modal';

/** "$10" for whole amounts, "$10.50" otherwise: how the seed lists package prices. */
export function formatPrice(price: { amount: number; currency: string }): string {
  return formatMoney(price).replace(/\.00$/, '');
}

let preferredPackageId: string | undefined;

/** Opens the dialog with `packageId` selected (the analytics page's pre-purchase suggestion). */
export function useOpenBuyCredits() {
  const { setOpen } = useBuyCreditsDialog();
  return (packageId?: string) => {
    preferredPackageId = packageId;
    setOpen(true);
  };
}

/**
 * The Buy Credits dialog (user menu → Add credit): the six one-off packages, the current balance,
 * the projected balance after the purchase and the payable amount, then Stripe Checkout.
 */
export function BuyCreditsDialog() {
  const { open, setOpen } = useBuyCreditsDialog();
  const close = () => {
    preferredPackageId = undefined;
    setOpen(false);
  };
  return (
    <Modal open={open} onClose={close} labelledBy="buy-credits-title" describedBy="buy-credits-desc" testId="buy-credits-dialog">
      <BuyCreditsForm onCancel={close} />
    </Modal>
  );
}

function BuyCreditsForm({ onCancel }: { onCancel: () => void }) {
  const packages = useCreditPackages();
  const balance = useBalance();
  const buy = useBuyCredits({ defaultPackageId: preferredPackageId ?? 'credits_2000' });
  const list = buy.packages.length ? buy.packages : packages.packages;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void buy.buy();
      }}
    >
      <div className="dialog-header">
        <div>
          <h2 id="buy-credits-title">Buy Credits</h2>
          <p id="buy-credits-desc" className="muted">
            One-off packages stack on top of your plan credits.
          </p>
        </div>
        <button type="button" className="icon-button" aria-label="Close" onClick={onCancel}>
          ×
        </button>
      </div>
      <div className="dialog-body">
        <fieldset className="packages">
          <legend className="sr-only">Credit package</legend>
          {packages.status === 'pending' ? <p className="muted">Loading packages…</p> : null}
          {list.map((pkg) => (
            <div className="package" key={pkg.id}>
              <input
                type="radio"
                name="package"
                id={`pkg-${pkg.id}`}
                value={pkg.id}
                checked={buy.selected?.id === pkg.id}
                onChange={() => buy.select(pkg.id)}
              />
              <label htmlFor={`pkg-${pkg.id}`} data-testid={`package-${pkg.id}`}>
                <span className="package-credits num">{formatCredits(pkg.credits)}</span>
                <br />
                <span className="package-price num">{formatPrice(pkg.price)}</span>
              </label>
            </div>
          ))}
        </fieldset>

        <div className="summary" aria-live="polite">
          <div className="summary-row">
            <span>Current balance</span>
            <strong data-testid="current-balance">{balance.formatted ?? '…'}</strong>
          </div>
          <div className="summary-row">
            <span>Projected balance after purchase</span>
            <strong data-testid="projected-balance">
              {buy.projectedFormatted ?? '—'}
            </strong>
          </div>
          <div className="summary-row">
            <span>Payable amount</span>
            <strong data-testid="payable-amount">{buy.price ?? '—'}</strong>
          </div>
        </div>

        <p className="note" role="note">
          <Icon name="warning" style={{ flex: 'none', marginTop: 1 }} />
          <span>
            Always double-check with the requestor or finance team before finalizing a purchase—credit buys are typically
            non-refundable.
          </span>
        </p>
        {buy.error ? (
          <p className="error-text" role="alert">
            Could not start checkout: {buy.error.message}
          </p>
        ) : null}
      </div>
      <div className="dialog-footer">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={!buy.selected || buy.isPending}>
          {buy.isPending ? 'Starting checkout…' : 'Buy credits'}
        </button>
      </div>
    </form>
  );
}
