/** A handler wired to the checkout emulator, delivering webhooks in-process. */
import type { LedgerAdapter } from '../src/ledger/adapter.js';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { createCheckoutEmulator } from '../src/emulator/checkout-emulator.js';
import { BASE, makeHandler } from './http-helpers.js';

export const WEBHOOK_SECRET = 'whsec_test_secret';

export function makeStripeHandler(ledger: LedgerAdapter = createMemoryLedger(), extra: { logger?: any } = {}) {
  let target: (r: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  const emulator = createCheckoutEmulator({ webhookSecret: WEBHOOK_SECRET, publicUrl: BASE, deliver: (r) => target(r) });
  const { handler } = makeHandler({ ledger, stripe: emulator, webhooks: { stripeSecret: WEBHOOK_SECRET }, publicUrl: BASE, ...extra });
  target = handler;
  return { ledger, handler, emulator };
}
