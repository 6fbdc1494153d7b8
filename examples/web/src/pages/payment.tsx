import { useCheckoutResult } from '@aivah/credits-react';
import { formatCredits } from '@aivah/credits';
import { Link } from '../router';

/**
 * Where Stripe Checkout returns: `/payment?state=success&session_id=…` or `/payment?state=cancel`.
 * On success it waits until the purchase is credited (the webhook or this page, whichever is first).
 */
export function PaymentPage() {
  const result = useCheckoutResult();

  let icon = '…';
  let tone = 'wait';
  let title = 'Confirming your payment…';
  let body = 'This takes a moment. Your credits are added as soon as the payment is confirmed.';
  if (result.state === 'cancel') {
    icon = '×';
    tone = 'cancel';
    title = 'Payment cancelled';
    body = 'Nothing was charged and your balance is unchanged.';
  } else if (result.state === 'success' && result.status === 'fulfilled') {
    icon = '✓';
    tone = 'ok';
    title = 'Payment successful';
    body = `${formatCredits(result.credited ?? 0)} were added to your balance.`;
  } else if (result.status === 'error') {
    icon = '!';
    tone = 'cancel';
    title = 'We could not confirm this payment';
    body = 'If you were charged, the credits arrive as soon as Stripe confirms it. Contact support if they do not.';
  } else if (result.state !== 'success') {
    icon = '?';
    tone = 'cancel';
    title = 'No payment to show';
    body = 'Start a purchase from the user menu → Add credit.';
  }

  return (
    <div className="content">
      <section className="card center-card" aria-labelledby="payment-title" data-testid="payment-result" data-state={result.state ?? ''} data-status={result.status}>
        <div className={`result-icon ${tone}`} aria-hidden="true">
          {icon}
        </div>
        <div role="status">
          <h2 id="payment-title">{title}</h2>
          <p className="muted" style={{ marginTop: 8 }}>
            {body}
          </p>
        </div>
        {result.state === 'success' && result.status === 'fulfilled' && result.balance ? (
          <p style={{ marginTop: 12 }}>
            New balance: <strong className="num" data-testid="payment-new-balance">{formatCredits(result.balance.available)}</strong>
          </p>
        ) : null}
        <div className="actions">
          <Link className="btn btn-primary" href="/">
            Home
          </Link>
          <Link className="btn" href="/plans">
            View plans
          </Link>
        </div>
      </section>
    </div>
  );
}
