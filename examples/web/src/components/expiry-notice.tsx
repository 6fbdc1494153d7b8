import { useQuery } from '@tanstack/react-query';
import { useBalance, useCreditsFormat } from '@aivah/credits-react';
import { demoApi } from '../demo-api';
import { Link } from '../router';

/** How long before credits expire the notice shows: the first `grant.expiring` lead time (7 days). */
const LEAD_MS = 7 * 86_400_000;

/**
 * The in-app expiry warning, on every page: the credits that expire next (from the balance's
 * `expiringNext`) once they are within seven days of expiring, beside the `grant.expiring` webhook
 * the server sends at the same lead times. Measured against the server's clock, which the demo can
 * move forward.
 */
export function ExpiryNotice({ className }: { className?: string }) {
  const { balance } = useBalance();
  const format = useCreditsFormat();
  const clock = useQuery({ queryKey: ['demo-clock'], queryFn: demoApi.clock, staleTime: 60_000 });
  const next = balance?.expiringNext;
  if (!next || next.amount <= 0 || !clock.data) return null;
  const left = Date.parse(next.expiresAt) - Date.parse(clock.data.now);
  if (left > LEAD_MS || left <= 0) return null;
  return (
    <div role="status" className={['ac-notice', className].filter(Boolean).join(' ')} data-testid="expiry-notice">
      <p className="ac-notice-title">Credits expire soon</p>
      <p className="ac-notice-body">
        {format.credits(next.amount)} expire on {format.dateTime(next.expiresAt)}. Unspent plan credits roll over up to your plan's cap;{' '}
        <Link href="/plans">see what expires when</Link>.
      </p>
    </div>
  );
}
