import { useEffect, useState } from 'react';
import type { AutoTopUpUpdate } from '@aivah/credits';
import { useAutoTopUp, useBalance, useBuyCreditsDialog, useCreditPackages, useCreditsFormat, usePaymentMethods } from '@aivah/credits-react';

const BRANDS: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express' };
const brand = (name: string) => BRANDS[name] ?? name;

/**
 * Auto top-up: buy a package with the stored card when the balance crosses below a threshold
 * (a number of credits, or a share of monthly usage as for alerts), within a monthly cap. The page
 * also lists the stored cards (one click in the Buy Credits dialog charges the newest).
 */
export function AutoTopUpPage() {
  const topUp = useAutoTopUp();
  const cards = usePaymentMethods();
  const { packages } = useCreditPackages();
  const balance = useBalance();
  const format = useCreditsFormat();
  const dialog = useBuyCreditsDialog();
  const settings = topUp.settings;
  const [enabled, setEnabled] = useState(false);
  const [mode, setMode] = useState<'absolute' | 'usage_percent'>('absolute');
  const [threshold, setThreshold] = useState(500);
  const [percent, setPercent] = useState(25);
  const [packageId, setPackageId] = useState('credits_5000');
  const [countCap, setCountCap] = useState<string>('3');
  const [amountCap, setAmountCap] = useState<string>('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!settings?.updatedAt) return;
    setEnabled(settings.enabled);
    setMode(settings.mode);
    if (settings.threshold != null) setThreshold(settings.threshold);
    setPercent(settings.percent);
    if (settings.packageId) setPackageId(settings.packageId);
    setCountCap(settings.monthlyCountCap == null ? '' : String(settings.monthlyCountCap));
    setAmountCap(settings.monthlyAmountCap == null ? '' : String(settings.monthlyAmountCap / 100));
  }, [settings?.updatedAt]); // eslint-disable-line react-hooks/exhaustive-deps

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    const body: AutoTopUpUpdate = {
      enabled,
      mode,
      threshold: mode === 'absolute' ? threshold : null,
      percent,
      packageId,
      monthlyCountCap: countCap === '' ? null : Number(countCap),
      monthlyAmountCap: amountCap === '' ? null : Math.round(Number(amountCap) * 100),
    };
    await topUp.update(body).then(() => setSaved(true), () => undefined);
  }

  const latest = settings?.latest;
  return (
    <div className="content">
      <div className="page-header">
        <p className="muted lead">
          Never run out mid-conversation: when the balance drops below your threshold, the package you choose is bought with your stored card —
          once per drop, never more than your monthly cap. Your server gets <code>credits.purchased</code>, or <code>topup.action_required</code> /{' '}
          <code>topup.failed</code> when the bank says no.
        </p>
      </div>
      <div className="grid grid-2">
        <form className="card" onSubmit={save} aria-labelledby="topup-form-title">
          <h3 id="topup-form-title">Auto top-up settings</h3>
          <div className="field" style={{ marginTop: 14 }}>
            <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Turn on auto top-up
            </label>
          </div>
          <fieldset className="field">
            <legend>Top up when the balance drops below</legend>
            <div className="radio-row">
              <label>
                <input type="radio" name="topup-mode" checked={mode === 'absolute'} onChange={() => setMode('absolute')} />A fixed number of credits
              </label>
              <label>
                <input type="radio" name="topup-mode" checked={mode === 'usage_percent'} onChange={() => setMode('usage_percent')} />A share of monthly usage
              </label>
            </div>
          </fieldset>
          {mode === 'absolute' ? (
            <div className="field">
              <label htmlFor="topup-threshold">Threshold (credits)</label>
              <input id="topup-threshold" type="number" min={0} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} />
            </div>
          ) : (
            <div className="field">
              <label htmlFor="topup-percent">Percent of trailing 30-day usage</label>
              <input id="topup-percent" type="number" min={1} max={1000} value={percent} onChange={(e) => setPercent(Number(e.target.value))} />
            </div>
          )}
          <div className="field">
            <label htmlFor="topup-package">Package to buy</label>
            <select id="topup-package" value={packageId} onChange={(e) => setPackageId(e.target.value)}>
              {packages.map((p) => (
                <option key={p.id} value={p.id}>
                  {format.credits(p.credits)} · {format.price(p.price)}
                </option>
              ))}
            </select>
          </div>
          <div className="inline-fields" style={{ display: 'flex', gap: 12 }}>
            <div className="field">
              <label htmlFor="topup-count-cap">Most top-ups a month</label>
              <input id="topup-count-cap" type="number" min={0} placeholder="No limit" value={countCap} onChange={(e) => setCountCap(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="topup-amount-cap">Most spent a month ($)</label>
              <input id="topup-amount-cap" type="number" min={0} step="0.01" placeholder="No limit" value={amountCap} onChange={(e) => setAmountCap(e.target.value)} />
            </div>
          </div>
          <div style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
            <button type="submit" className="btn btn-primary" disabled={topUp.isUpdating}>
              {topUp.isUpdating ? 'Saving…' : 'Save'}
            </button>
            <span role="status" className="muted">
              {saved ? 'Saved.' : ''}
            </span>
          </div>
          {topUp.updateError ? (
            <p className="error-text" role="alert">
              {(topUp.updateError as { code?: string }).code === 'PAYMENT_METHOD_REQUIRED'
                ? 'Save a card first: buy credits once through checkout and the card is kept for auto top-up.'
                : topUp.updateError.message}
            </p>
          ) : null}
        </form>
        <section className="card" aria-labelledby="topup-status-title">
          <h3 id="topup-status-title">Status</h3>
          {settings ? (
            <dl style={{ marginTop: 14 }}>
              <dt className="stat-label">State</dt>
              <dd style={{ margin: '4px 0 14px' }} data-testid="topup-state">
                {!settings.enabled ? (
                  <span className="status-chip">Off</span>
                ) : settings.state === 'ok' ? (
                  <span className="status-chip chip-ok">Active</span>
                ) : settings.state === 'action_required' ? (
                  <span className="status-chip chip-low">Needs your confirmation</span>
                ) : (
                  <span className="status-chip chip-low">Paused</span>
                )}
              </dd>
              <dt className="stat-label">Threshold now</dt>
              <dd className="num" style={{ margin: '4px 0 14px', fontWeight: 600 }}>
                {format.credits(settings.effectiveThreshold)} · available {balance.formatted ?? '…'}
              </dd>
              <dt className="stat-label">This month</dt>
              <dd className="num" style={{ margin: '4px 0 14px' }} data-testid="topup-used">
                {settings.usedThisMonth.count} top-up{settings.usedThisMonth.count === 1 ? '' : 's'} ·{' '}
                {format.price({ amount: settings.usedThisMonth.amount, currency: settings.usedThisMonth.currency })}
              </dd>
              <dt className="stat-label">Latest top-up</dt>
              <dd style={{ margin: '4px 0 0' }} data-testid="topup-latest">
                {latest ? `${format.credits(latest.credits)} · ${latest.status.replace('_', ' ')}${latest.lastError ? ` (${latest.lastError})` : ''}` : 'None yet'}
              </dd>
            </dl>
          ) : (
            <p className="muted">Loading…</p>
          )}
          <h3 id="cards-title" className="section-title">
            Stored cards
          </h3>
          <ul className="delivery" aria-labelledby="cards-title" data-testid="stored-cards">
            {cards.cards.length === 0 ? (
              <li className="muted">
                No card yet.{' '}
                <button type="button" className="btn" onClick={() => dialog.setOpen(true)}>
                  Buy credits
                </button>{' '}
                once and checkout keeps the card.
              </li>
            ) : (
              cards.cards.map((card, i) => (
                <li key={card.id} style={{ display: 'flex', gap: 10, alignItems: 'center' }}>
                  <span>
                    {brand(card.brand)} •••• {card.last4} <span className="muted">exp {String(card.expMonth).padStart(2, '0')}/{card.expYear % 100}</span>
                    {i === 0 ? <span className="status-chip chip-ok" style={{ marginLeft: 8 }}>Default</span> : null}
                  </span>
                  <button type="button" className="btn" disabled={cards.isRemoving} onClick={() => void cards.remove(card.id)} aria-label={`Remove ${brand(card.brand)} ending ${card.last4}`}>
                    Remove
                  </button>
                </li>
              ))
            )}
          </ul>
        </section>
      </div>
    </div>
  );
}

/**
 * The in-app notice of auto top-up, at the top of every page: the bank asks the buyer to confirm a
 * top-up (with the link), or auto top-up paused after declines (with a way to buy and resume).
 */
export function AutoTopUpNoticeBar() {
  const { notice } = useAutoTopUp();
  const dialog = useBuyCreditsDialog();
  if (!notice) return null;
  return (
    <div className="card page-notice topup-notice" role="alert" data-testid="topup-notice" data-kind={notice.kind}>
      <strong>{notice.kind === 'action_required' ? 'Confirm your automatic top-up' : 'Auto top-up paused'}</strong>
      <span>{notice.message}</span>
      {notice.actionUrl ? (
        <a className="btn btn-primary" href={notice.actionUrl}>
          Confirm payment
        </a>
      ) : (
        <button type="button" className="btn btn-primary" onClick={() => dialog.setOpen(true)}>
          Buy credits
        </button>
      )}
    </div>
  );
}
