import { useBalance } from '@aivah/credits-react';

/** The live balance pill of the Avatar chat, top right: "2,341 Credits". */
export function BalancePill() {
  const balance = useBalance();
  const label = balance.formatted ?? '… Credits';
  return (
    <div
      className="balance-pill num"
      data-testid="balance-pill"
      data-status={balance.isLive ? 'live' : balance.status === 'pending' ? 'loading' : 'stale'}
      data-low={balance.available === 0 ? 'true' : undefined}
      role="status"
      aria-live="polite"
      aria-label={`Available credits: ${label}`}
      title={balance.held ? `${balance.held.toLocaleString('en-US')} credits held by an active call` : 'Available credits'}
    >
      <span className="dot" aria-hidden="true" />
      {label}
    </div>
  );
}
