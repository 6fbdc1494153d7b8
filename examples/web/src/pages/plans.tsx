import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Plan } from '@aivah/credits';
import { creditsKeys, useBalance, useBuyCreditsDialog, useCreditPackages, useCreditsFormat, usePlan, usePlans } from '@aivah/credits-react';
import { useOpenBillingPortal } from '../billing';
import { demoApi, useDemoConfig } from '../demo-api';
import { navigate, useSearch } from '../router';

/**
 * "View plans" from the payment page: the current plan, its included credits, the renewal date,
 * what rolls over and what expires when; a plan change; the one-off packages that stack on top;
 * and, in offline emulator mode, a clock to move forward past a renewal.
 */
export function PlansPage() {
  const queryClient = useQueryClient();
  const { balance, planCredits, oneOffCredits } = useBalance();
  const { plan, changePlan, isChanging } = usePlan();
  const { plans } = usePlans();
  const { packages } = useCreditPackages();
  const dialog = useBuyCreditsDialog();
  const billing = useOpenBillingPortal();
  const format = useCreditsFormat();
  const config = useDemoConfig();
  const clock = useQuery({ queryKey: ['demo-clock'], queryFn: demoApi.clock });
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  const returned = useSearch().get('checkout');
  // Back from Checkout: say what happened once, then drop the query so a reload does not repeat it.
  useEffect(() => {
    if (returned !== 'success' && returned !== 'cancel') return;
    setMessage(returned === 'success' ? { kind: 'info', text: 'Payment received: your new plan is active.' } : { kind: 'info', text: 'Checkout cancelled: nothing changed.' });
    navigate('/plans', { replace: true });
  }, [returned]);

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: creditsKeys.account('me') });
    await queryClient.invalidateQueries({ queryKey: ['demo-clock'] });
  };

  async function choose(target: Plan) {
    setMessage(null);
    setPending(true);
    try {
      // A paid plan answers `effective: 'checkout'` and the hook sends the browser to Checkout (the
      // emulator's page offline); the plan changes when the subscription's first invoice is paid.
      const change = await changePlan(target.id);
      if (change.effective === 'checkout') return;
      await refresh();
      setMessage({
        kind: 'info',
        text:
          change.effective === 'now'
            ? `You are on ${target.name} now${change.granted > 0 ? `: ${format.credits(change.granted)} added` : ''}.`
            : change.plan.pendingPlan
              ? `${target.name} starts on ${format.date(change.plan.periodEnd!)}; until then your current plan stays.`
              : `You stay on ${target.name}.`,
      });
    } catch (error) {
      setMessage({ kind: 'error', text: `Could not change plan: ${(error as Error).message}` });
    } finally {
      setPending(false);
    }
  }

  async function advance(days: number) {
    setMessage(null);
    setPending(true);
    try {
      const run = await demoApi.advanceClock(days);
      await refresh();
      setMessage({ kind: 'info', text: `Server clock moved to ${format.dateTime(run.now)}: ${run.renewed} renewal${run.renewed === 1 ? '' : 's'}, ${run.warned} expiry warning${run.warned === 1 ? '' : 's'}.` });
    } catch (error) {
      setMessage({ kind: 'error', text: `Could not move the clock: ${(error as Error).message}` });
    } finally {
      setPending(false);
    }
  }

  const current = plan?.plan ?? null;
  const expiring = balance?.expiringNext ?? null;
  const purchased = balance?.grants.filter((g) => g.source === 'purchase').reduce((sum, g) => sum + g.remaining, 0);
  const byExpiry = (balance?.grants ?? []).filter((g) => g.remaining > 0);

  return (
    <div className="content">
      <p className="muted lead page-intro">Your plan includes credits every month; one-off packages stack on top of them.</p>
      <div className="grid grid-2">
        <section className="card" aria-labelledby="plan-title">
          <h2 id="plan-title">Your plan</h2>
          <dl className="facts">
            <div>
              <dt>Plan</dt>
              <dd data-testid="plan-name">{plan === undefined ? '…' : (current?.name ?? 'No plan')}</dd>
            </div>
            <div>
              <dt>Included each month</dt>
              <dd className="num" data-testid="plan-included">{current ? format.credits(current.credits) : '—'}</dd>
            </div>
            <div>
              <dt>{plan?.renewsAt ? 'Renews on' : 'Period ends'}</dt>
              <dd data-testid="plan-renews">{plan?.periodEnd ? format.dateTime(plan.renewsAt ?? plan.periodEnd) : '—'}</dd>
            </div>
            {plan?.pendingPlan ? (
              <div>
                <dt>Then</dt>
                <dd data-testid="plan-pending">{plan.pendingPlan.name}</dd>
              </div>
            ) : null}
            <div>
              <dt>Plan credits left</dt>
              <dd className="num" data-testid="plan-credits">{planCredits === undefined ? '…' : format.credits(planCredits)}</dd>
            </div>
            <div>
              <dt>Rolled over from last month</dt>
              <dd className="num" data-testid="plan-carried">{plan?.allowance ? format.credits(plan.allowance.carriedOver) : '—'}</dd>
            </div>
            <div>
              <dt>Rolls over at renewal</dt>
              <dd className="num" data-testid="plan-rolls-over">
                {plan?.allowance && current ? `${format.credits(plan.allowance.rollsOver)} (up to ${format.number(current.rolloverCap)})` : '—'}
              </dd>
            </div>
            <div>
              <dt>One-off credits left</dt>
              <dd className="num" data-testid="one-off-credits">{oneOffCredits === undefined ? '…' : format.credits(oneOffCredits)}</dd>
            </div>
            <div>
              <dt>Of which purchased</dt>
              <dd className="num" data-testid="purchased-credits">{purchased === undefined ? '…' : format.credits(purchased)}</dd>
            </div>
          </dl>
          <h3>What expires when</h3>
          {expiring ? (
            <p className="muted" data-testid="expiring-next">
              Next: {format.credits(expiring.amount)} on {format.dateTime(expiring.expiresAt)}.
            </p>
          ) : null}
          {byExpiry.length === 0 ? (
            <p className="muted">No credits left.</p>
          ) : (
            <ul className="package-list" data-testid="expiry-list">
              {byExpiry.map((g) => (
                <li key={g.id}>
                  <span>
                    <strong className="num">{format.credits(g.remaining)}</strong>
                    <span className="muted"> · {g.carriedFrom ? 'rolled over' : g.source === 'plan' ? 'plan' : 'one-off'}</span>
                  </span>
                  <span className="muted">{g.expiresAt ? `expire ${format.dateTime(g.expiresAt)}` : 'never expire'}</span>
                </li>
              ))}
            </ul>
          )}
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
        <section className="card" aria-labelledby="plans-title">
          <h2 id="plans-title">Plans</h2>
          <ul className="package-list" data-testid="plan-list">
            {plans.map((p) => {
              const isCurrent = current?.id === p.id && !plan?.pendingPlan;
              return (
                <li key={p.id}>
                  <span>
                    <strong>{p.name}</strong>
                    <span className="muted num">
                      {' '}
                      · {format.credits(p.credits)} a month · {p.price.amount === 0 ? 'free' : `${format.price(p.price)} a month`}
                      {p.rolloverCap > 0 ? ` · up to ${format.number(p.rolloverCap)} roll over` : ''}
                    </span>
                  </span>
                  <button type="button" className="btn btn-sm" disabled={isCurrent || pending || isChanging} onClick={() => void choose(p)}>
                    {isCurrent ? 'Current' : current?.id === p.id ? 'Keep' : 'Switch'}
                    <span className="sr-only"> to {p.name}</span>
                  </button>
                </li>
              );
            })}
          </ul>
          <p className="muted">Upgrades start now with the extra credits for the rest of the month; downgrades start at the renewal.</p>
          {message ? (
            <p className={message.kind === 'error' ? 'error-text' : 'muted'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="plan-message">
              {message.text}
            </p>
          ) : null}
          <h2 id="packages-title" className="section-gap">One-off packages</h2>
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
        {config?.payments === 'emulator' && clock.data?.canAdvance ? (
          <section className="card" aria-labelledby="clock-title">
            <h2 id="clock-title">Demo clock</h2>
            <p className="muted">
              The offline emulator can move the server's clock forward to show renewals, rollover and expiry warnings. Server time:{' '}
              <span data-testid="server-time">{format.dateTime(clock.data.now)}</span>.
            </p>
            <div className="actions actions-start">
              <button type="button" className="btn btn-sm" disabled={pending} onClick={() => void advance(1)}>
                +1 day
              </button>
              <button type="button" className="btn btn-sm" disabled={pending} onClick={() => void advance(7)}>
                +7 days
              </button>
              <button type="button" className="btn btn-sm" disabled={pending} onClick={() => void advance(31)}>
                +1 month
              </button>
            </div>
          </section>
        ) : null}
      </div>
    </div>
  );
}
