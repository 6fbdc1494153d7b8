/**
 * The HTML of the offline checkout emulator: a small, accessible stand-in for Stripe Checkout.
 * @module
 */

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font-family:system-ui,sans-serif;background:#f6f7fb;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border-radius:12px;box-shadow:0 4px 24px #0002;padding:32px;max-width:380px;width:100%}
h1{font-size:1.25rem;margin:0 0 4px}p{color:#444}.amount{font-size:2rem;font-weight:700;margin:16px 0}
.note{font-size:.85rem;color:#666;border-left:3px solid #635bff;padding-left:8px}
form{display:inline}label{display:block;font-size:.85rem;color:#444;margin:8px 0 4px}input{font:inherit;padding:8px;border:1px solid #ccc;border-radius:6px;width:100%;box-sizing:border-box;margin-bottom:8px}button{font:inherit;padding:10px 18px;border-radius:8px;border:0;cursor:pointer;margin-right:8px}
.pay{background:#635bff;color:#fff}a.pay{display:inline-block;padding:10px 18px;border-radius:8px;text-decoration:none;font-weight:600}a:focus-visible{outline:3px solid #111;outline-offset:2px}
dl{display:grid;grid-template-columns:auto 1fr;gap:6px 16px;margin:16px 0;font-size:.9rem}dt{color:#666}dd{margin:0;font-family:ui-monospace,monospace;overflow-wrap:anywhere}.cancel{background:#e8e8ef;color:#222}button:focus-visible{outline:3px solid #111;outline-offset:2px}`;

function page(title: string, content: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title><style>${STYLE}</style></head><body><main>${content}</main></body></html>`;
}

/** The checkout page of one session. */
export function checkoutPage(input: { sessionId: string; productName: string; price: string; status: string; actionBase: string; savesCard?: boolean }): string {
  const open = input.status === 'open';
  // Stripe's test numbers decide how later off-session charges of the saved card go.
  const cardField = input.savesCard
    ? `<label for="card">Card number</label><input id="card" name="card" inputmode="numeric" autocomplete="off" value="4242 4242 4242 4242" list="test-cards">` +
      `<datalist id="test-cards"><option value="4242 4242 4242 4242">Succeeds</option><option value="4000 0025 0000 3155">Authentication required</option>` +
      `<option value="4000 0027 6000 3184">Authentication always required</option><option value="4000 0000 0000 0002">Declined</option></datalist>` +
      `<p class="note">The card is saved for one-click purchases and auto top-up.</p>`
    : '';
  const actions = open
    ? `<form method="post" action="${escape(input.actionBase)}/pay">${cardField}<button class="pay" type="submit">Pay ${escape(input.price)}</button></form>` +
      `<form method="post" action="${escape(input.actionBase)}/cancel"><button class="cancel" type="submit">Cancel</button></form>`
    : `<p role="status">This checkout session is ${escape(input.status)}.</p>`;
  return page(
    `Checkout: ${input.productName}`,
    `<h1>${escape(input.productName)}</h1><p>One-off purchase</p>` +
      `<p class="amount" aria-label="Total">${escape(input.price)}</p>` +
      `<p class="note">Test mode: the offline checkout emulator. No card is charged; paying sends a signed <code>checkout.session.completed</code> webhook.</p>` +
      `<p class="sr-only" id="session">Session ${escape(input.sessionId)}</p>${actions}`,
  );
}

/** The billing portal stand-in: says what the real portal does, and returns to where the user came from. */
export function billingPage(customerId: string, returnUrl: string): string {
  return page(
    'Billing portal',
    `<h1>Billing portal</h1><p>Payment methods, invoices and receipts.</p>` +
      `<dl><dt>Customer</dt><dd>${escape(customerId)}</dd><dt>Mode</dt><dd>test (offline)</dd></dl>` +
      `<p class="note">Test mode: the offline checkout emulator stores no cards and issues no invoices. With real Stripe this page is Stripe's customer portal.</p>` +
      `<p><a class="pay" href="${escape(returnUrl)}">Return to the app</a></p>`,
  );
}
