import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useBalance, useBuyCreditsDialog, useCreditPackages, useCreditsFormat, useUsageSummary } from '@aivah/credits-react';
import type { CreditPackage } from '@aivah/credits';

const FEATURE_COLORS: Record<string, string> = {
  conversation: '#5b3df5',
  media_generation: '#e0568a',
  call: '#12a386',
};
const FALLBACK_COLORS = ['#f29d38', '#3b82f6', '#8b5cf6', '#64748b'];
const FEATURE_LABELS: Record<string, string> = {
  conversation: 'Conversations',
  media_generation: 'Media generation',
  call: 'Calls',
};
const label = (feature: string) => FEATURE_LABELS[feature] ?? feature;

/**
 * The smallest single package that covers `shortfall`, or the largest one repeated: what to
 * pre-purchase before a campaign.
 */
export function suggestPackage(packages: CreditPackage[], shortfall: number): { pkg: CreditPackage; quantity: number } | null {
  if (shortfall <= 0 || packages.length === 0) return null;
  const sorted = [...packages].sort((a, b) => a.credits - b.credits);
  const single = sorted.find((p) => p.credits >= shortfall);
  if (single) return { pkg: single, quantity: 1 };
  const largest = sorted[sorted.length - 1]!;
  return { pkg: largest, quantity: Math.ceil(shortfall / largest.credits) };
}

/** Insights → Agent Analytics: usage by day and by feature, the forecast, and campaign planning. */
export function AnalyticsPage() {
  const [days, setDays] = useState(30);
  const usage = useUsageSummary({ days });
  const balance = useBalance();
  const { packages } = useCreditPackages();
  const summary = usage.summary;
  const forecast = usage.forecast;
  const format = useCreditsFormat();
  const n = (value: number) => format.number(Math.round(value));

  const features = useMemo(() => {
    const set = new Set<string>(['conversation', 'media_generation', 'call']);
    summary?.byFeature.forEach((f) => set.add(f.feature));
    return [...set];
  }, [summary]);
  const colorOf = (feature: string, i: number) => FEATURE_COLORS[feature] ?? FALLBACK_COLORS[i % FALLBACK_COLORS.length]!;

  const chartData = useMemo(
    () =>
      (summary?.byDay ?? []).map((day) => ({
        date: format.shortDate(day.date),
        ...Object.fromEntries(features.map((f) => [f, day.byFeature[f] ?? 0])),
      })),
    [summary, features, format],
  );
  const featureMax = Math.max(1, ...(summary?.byFeature.map((f) => f.total) ?? [1]));

  return (
    <div className="content">
      <div className="page-header">
        <div>
          <p className="muted lead">Confirm credits are being used as planned, and forecast what you need before a campaign.</p>
        </div>
        <div className="field" style={{ margin: 0 }}>
          <label htmlFor="range">Range</label>
          <select id="range" value={days} onChange={(e) => setDays(Number(e.target.value))} className="btn btn-sm">
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </div>
      </div>

      <div className="grid grid-4">
        <div className="card">
          <div className="stat-label">Available now</div>
          <div className="stat-value num">{balance.available == null ? '…' : n(balance.available)}</div>
          <div className="stat-sub">{balance.held ? `${n(balance.held)} held` : 'Credits'}</div>
        </div>
        <div className="card">
          <div className="stat-label">Used, last {days} days</div>
          <div className="stat-value num" data-testid="usage-total">
            {summary ? n(summary.total) : '…'}
          </div>
          <div className="stat-sub">Credits</div>
        </div>
        <div className="card">
          <div className="stat-label">Daily average</div>
          <div className="stat-value num">{forecast ? n(forecast.dailyAverage) : '…'}</div>
          <div className="stat-sub">{forecast ? `${n(forecast.projected30Days)} projected over 30 days` : ''}</div>
        </div>
        <div className="card">
          <div className="stat-label">Days left at this pace</div>
          <div className="stat-value num" data-testid="days-left">
            {!forecast ? '…' : usage.daysLeft == null ? '∞' : n(Math.floor(usage.daysLeft))}
          </div>
          <div className="stat-sub">
            {forecast?.depletionDate ? `Runs out around ${format.date(forecast.depletionDate)}` : 'No usage yet to forecast from'}
          </div>
        </div>
      </div>

      <div className="grid analytics-columns">
        <section className="card" aria-labelledby="by-day-title">
          <h3 id="by-day-title">Usage by day</h3>
          <p className="sr-only">
            A stacked bar chart of credits used per day by feature. Totals by feature are listed next to it.
          </p>
          <div className="chart-box" data-testid="usage-chart">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={chartData} margin={{ top: 8, right: 8, left: -8, bottom: 0 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#ececf3" />
                <XAxis dataKey="date" tick={{ fontSize: 11, fill: '#55556a' }} interval="preserveStartEnd" />
                <YAxis tick={{ fontSize: 11, fill: '#55556a' }} allowDecimals={false} />
                <Tooltip formatter={(value, name) => [format.credits(Number(value)), label(String(name))]} />
                <Legend formatter={(value) => label(String(value))} />
                {features.map((f, i) => (
                  <Bar key={f} dataKey={f} stackId="usage" fill={colorOf(f, i)} radius={i === features.length - 1 ? [4, 4, 0, 0] : 0} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        </section>
        <section className="card" aria-labelledby="by-feature-title">
          <h3 id="by-feature-title">By feature</h3>
          <ul className="feature-list" data-testid="usage-by-feature">
            {(summary?.byFeature ?? []).length === 0 ? <li className="muted">No usage yet.</li> : null}
            {summary?.byFeature.map((f, i) => (
              <li key={f.feature}>
                <div style={{ display: 'flex', justifyContent: 'space-between' }}>
                  <span>{label(f.feature)}</span>
                  <strong className="num">{n(f.total)}</strong>
                </div>
                <div className="feature-bar" aria-hidden="true">
                  <span style={{ width: `${(f.total / featureMax) * 100}%`, background: colorOf(f.feature, i) }} />
                </div>
              </li>
            ))}
          </ul>
        </section>
      </div>

      <CampaignPlanner dailyAverage={forecast?.dailyAverage ?? 0} available={balance.available ?? 0} packages={packages} />
    </div>
  );
}

function CampaignPlanner({ dailyAverage, available, packages }: { dailyAverage: number; available: number; packages: CreditPackage[] }) {
  const [extraPercent, setExtraPercent] = useState(50);
  const [campaignDays, setCampaignDays] = useState(14);
  const [extraPerDay, setExtraPerDay] = useState(0);
  const dialog = useBuyCreditsDialog();
  const format = useCreditsFormat();

  const expected = Math.ceil(dailyAverage * (1 + extraPercent / 100) * campaignDays + extraPerDay * campaignDays);
  const shortfall = expected - available;
  const suggestion = suggestPackage(packages, shortfall);

  return (
    <section className="card" aria-labelledby="campaign-title" style={{ marginTop: 16 }}>
      <h3 id="campaign-title">Plan a campaign</h3>
      <p className="muted" style={{ marginTop: 4 }}>
        Before a marketing push, forecast the extra traffic and pre-purchase credits so agents never stall.
      </p>
      <div className="inline-fields" style={{ marginTop: 14 }}>
        <div className="field">
          <label htmlFor="campaign-days">Campaign length (days)</label>
          <input id="campaign-days" type="number" min={1} max={365} value={campaignDays} onChange={(e) => setCampaignDays(Math.max(1, Number(e.target.value) || 1))} />
        </div>
        <div className="field">
          <label htmlFor="extra-traffic">Expected extra traffic (%)</label>
          <input id="extra-traffic" type="number" min={0} max={10000} value={extraPercent} onChange={(e) => setExtraPercent(Math.max(0, Number(e.target.value) || 0))} />
        </div>
        <div className="field">
          <label htmlFor="extra-per-day">Plus extra credits per day</label>
          <input id="extra-per-day" type="number" min={0} value={extraPerDay} onChange={(e) => setExtraPerDay(Math.max(0, Number(e.target.value) || 0))} />
          <span className="field-hint">e.g. 200 new conversations × 5 Credits = 1,000 Credits</span>
        </div>
      </div>
      <div className="suggestion" role="status" data-testid="campaign-suggestion">
        <p>
          Expected usage: <strong className="num">{format.credits(expected)}</strong> over {campaignDays} days (now{' '}
          {format.number(Math.round(dailyAverage))} a day, +{extraPercent}%).
        </p>
        {suggestion ? (
          <>
            <p style={{ marginTop: 6 }}>
              Your balance is short by <strong className="num">{format.credits(shortfall)}</strong>. Suggested:{' '}
              <strong>
                {suggestion.quantity > 1 ? `${suggestion.quantity} × ` : ''}
                {format.credits(suggestion.pkg.credits)} ({format.price(suggestion.pkg.price)}
                {suggestion.quantity > 1 ? ' each' : ''})
              </strong>
              .
            </p>
            <button type="button" className="btn btn-primary btn-sm" style={{ marginTop: 10 }} onClick={() => dialog.setOpen(true, suggestion.pkg.id)}>
              Buy {format.credits(suggestion.pkg.credits)}
            </button>
          </>
        ) : (
          <p style={{ marginTop: 6 }}>Your current balance covers it — no pre-purchase needed.</p>
        )}
      </div>
    </section>
  );
}
