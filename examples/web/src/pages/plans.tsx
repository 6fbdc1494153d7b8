import { useBuyCreditsDialog } from '@aivah/credits-react';

const PLANS = [
  { name: 'Starter', price: '$0', credits: '500 credits / month', features: ['1 avatar agent', 'Chat and images', 'Community support'] },
  { name: 'Pro', price: '$29', credits: '3,000 credits / month', features: ['5 avatar agents', 'Calls and media generation', 'Agent Analytics'], featured: true },
  { name: 'Business', price: '$99', credits: '12,000 credits / month', features: ['Unlimited agents', 'Threshold alerts and webhooks', 'Priority support'] },
];

/** "View plans" from the payment page: plan credits, with one-off packages stacking on top. */
export function PlansPage() {
  const dialog = useBuyCreditsDialog();
  return (
    <div className="content">
      <div className="page-header">
        <div>
          <p className="muted lead">Every plan includes monthly credits. One-off packages stack on top of them.</p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => dialog.setOpen(true)}>
          Add credit
        </button>
      </div>
      <div className="plans">
        {PLANS.map((plan) => (
          <section key={plan.name} className={`card plan${plan.featured ? ' featured' : ''}`} aria-labelledby={`plan-${plan.name}`}>
            <h2 id={`plan-${plan.name}`}>
              {plan.name} {plan.featured ? <span className="status-chip chip-ok">Current plan</span> : null}
            </h2>
            <p className="plan-price">
              {plan.price}
              <span className="muted" style={{ fontSize: '0.9rem', fontWeight: 500 }}>
                {' '}
                / month
              </span>
            </p>
            <p className="muted">{plan.credits}</p>
            <ul>
              {plan.features.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
