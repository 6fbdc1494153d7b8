import { useEffect, useState } from 'react';
import { useAlertSettings, useBalance, useCreditsFormat } from '@aivah/credits-react';
import { useDemoConfig } from '../demo-api';

/**
 * Threshold alerts: `balance.low` fires (once per crossing) when the balance drops below an
 * absolute amount or a percentage of the trailing 30-day usage (the seed's 25%). The page says where
 * an alert goes: the in-app notice always, the webhook only when the server sends webhooks.
 */
export function AlertsPage() {
  const alerts = useAlertSettings();
  const balance = useBalance();
  const format = useCreditsFormat();
  const config = useDemoConfig();
  const settings = alerts.settings;
  const [enabled, setEnabled] = useState(true);
  const [mode, setMode] = useState<'absolute' | 'usage_percent'>('usage_percent');
  const [threshold, setThreshold] = useState(500);
  const [percent, setPercent] = useState(25);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!settings) return;
    setEnabled(settings.enabled);
    setMode(settings.mode);
    if (settings.threshold != null) setThreshold(settings.threshold);
    setPercent(settings.percent);
  }, [settings]);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    await alerts.update({ enabled, mode, threshold: mode === 'absolute' ? threshold : null, percent });
    setSaved(true);
  }

  return (
    <div className="content">
      <div className="page-header">
        <div>
          <p className="muted lead">
            Refill before credits run out: when the balance drops below a level, you see a notice here and your server can get a{' '}
            <code>balance.low</code> webhook.
          </p>
        </div>
      </div>
      <div className="grid grid-2">
        <form className="card" onSubmit={save} aria-labelledby="alert-form-title">
          <h3 id="alert-form-title">Alert settings</h3>
          <div className="field" style={{ marginTop: 14 }}>
            <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Send low-balance alerts
            </label>
          </div>
          <fieldset className="field" disabled={!enabled}>
            <legend>Alert when the balance drops below</legend>
            <div className="radio-row">
              <label>
                <input type="radio" name="mode" value="usage_percent" checked={mode === 'usage_percent'} onChange={() => setMode('usage_percent')} />
                A share of monthly usage
              </label>
              <label>
                <input type="radio" name="mode" value="absolute" checked={mode === 'absolute'} onChange={() => setMode('absolute')} />
                A fixed number of credits
              </label>
            </div>
          </fieldset>
          {mode === 'usage_percent' ? (
            <div className="field">
              <label htmlFor="alert-percent">Percent of trailing 30-day usage</label>
              <input id="alert-percent" type="number" min={1} max={1000} value={percent} disabled={!enabled} onChange={(e) => setPercent(Number(e.target.value))} />
              <span className="field-hint">25% of monthly usage is a good default.</span>
            </div>
          ) : (
            <div className="field">
              <label htmlFor="alert-threshold">Credits</label>
              <input id="alert-threshold" type="number" min={0} value={threshold} disabled={!enabled} onChange={(e) => setThreshold(Number(e.target.value))} />
            </div>
          )}
          <div style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
            <button type="submit" className="btn btn-primary" disabled={alerts.isUpdating}>
              {alerts.isUpdating ? 'Saving…' : 'Save'}
            </button>
            <span role="status" className="muted">
              {saved ? 'Saved.' : ''}
            </span>
          </div>
          {alerts.updateError ? (
            <p className="error-text" role="alert">
              {alerts.updateError.message}
            </p>
          ) : null}
        </form>
        <section className="card" aria-labelledby="alert-status-title">
          <h3 id="alert-status-title">Current status</h3>
          {settings ? (
            <>
            <dl style={{ marginTop: 14 }}>
              <dt className="stat-label">Effective threshold</dt>
              <dd className="stat-value num" style={{ margin: '4px 0 14px' }} data-testid="effective-threshold">
                {format.credits(settings.effectiveThreshold)}
              </dd>
              <dt className="stat-label">Available now</dt>
              <dd className="num" style={{ margin: '4px 0 14px', fontWeight: 600 }}>
                {balance.formatted ?? '…'}
              </dd>
              <dt className="stat-label">State</dt>
              <dd style={{ margin: '4px 0 0' }} data-testid="alert-state">
                {!settings.enabled ? (
                  <span className="status-chip">Alerts off</span>
                ) : settings.low ? (
                  <span className="status-chip chip-low">Below threshold</span>
                ) : (
                  <span className="status-chip chip-ok">Above threshold</span>
                )}
              </dd>
            </dl>
            <h3 id="alert-where-title" className="section-title">
              Where alerts go
            </h3>
            <ul className="delivery" aria-labelledby="alert-where-title" data-testid="alert-delivery">
              <li>
                <span className="status-chip chip-ok">On</span> In the app: a notice at the top of every page while the balance is below
                the threshold.
              </li>
              <li>
                {config === undefined ? (
                  <span className="status-chip">…</span>
                ) : config.webhooks ? (
                  <span className="status-chip chip-ok">On</span>
                ) : (
                  <span className="status-chip chip-low">Off</span>
                )}{' '}
                Webhook <code>balance.low</code> to your server:{' '}
                {config?.webhooks
                  ? 'sent once per crossing to the endpoint in WEBHOOK_URL.'
                  : 'not sent — this server has no WEBHOOK_URL, so nothing outside this app hears about it.'}
              </li>
            </ul>
            </>
          ) : (
            <p className="muted">Loading…</p>
          )}
        </section>
      </div>
    </div>
  );
}
