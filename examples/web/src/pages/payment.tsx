import { CheckoutResult } from '@aivah/credits-react/ui';
import { Link } from '../router';

/**
 * Where Stripe Checkout returns: `/payment?state=success&session_id=…` or `/payment?state=cancel`.
 * The kit's CheckoutResult waits until the purchase is credited; the links go through the app's router.
 */
export function PaymentPage() {
  return (
    <div className="content">
      <CheckoutResult className="card" data-testid="payment-result" renderLink={(link) => <Link {...link} />} />
    </div>
  );
}
