/**
 * The example server's production wiring, which `pnpm demo` does not use: Postgres through
 * `DATABASE_URL`, and the real Stripe library through `STRIPE_SECRET_KEY` (its HTTP calls answered by
 * msw handlers backed by the checkout emulator, so no network is needed).
 */
import { randomBytes } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckoutEmulator } from '@aivah/credits-node/emulator';
import { stripeMswHandlers } from '@aivah/credits-node/testing';
import { createApp, DEMO_PLAN_CREDITS, demoHistory, type App } from '../src/app.js';
import { readConfig } from '../src/config.js';

const url = process.env.TEST_DATABASE_URL;
const PUBLIC_URL = 'http://127.0.0.1:8787';
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

if (!url) console.warn('Example server Postgres suite skipped: TEST_DATABASE_URL is not set');

describe.skipIf(!url)('example server on Postgres with the real Stripe library', () => {
  const schema = `example_server_${randomBytes(6).toString('hex')}`;
  const env = {
    DATABASE_URL: url,
    DATABASE_SCHEMA: schema,
    STRIPE_SECRET_KEY: 'sk_test_offline',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    CREDITS_SECRET_KEY: 'sk_example_test',
  };
  let app: App;
  let target: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  const emulator = createCheckoutEmulator({ webhookSecret: WEBHOOK_SECRET, publicUrl: PUBLIC_URL, deliver: (r) => target(r) });
  const stripeApi = setupServer(...(stripeMswHandlers(emulator, { http, HttpResponse }) as Parameters<typeof setupServer>));

  const start = async () => {
    app = await createApp(readConfig(env), PUBLIC_URL);
    target = app.fetch;
  };
  const browser = async () => {
    const res = await app.fetch(new Request(`${PUBLIC_URL}/demo/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'demo@aivah.dev', password: 'demo' }),
    }));
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    return (path: string, init: RequestInit = {}) =>
      app.fetch(new Request(`${PUBLIC_URL}${path}`, { ...init, headers: { cookie, 'content-type': 'application/json', ...init.headers } }));
  };

  beforeAll(async () => {
    stripeApi.listen({ onUnhandledRequest: 'error' });
    await start();
  });
  afterAll(async () => {
    await app?.close();
    stripeApi.close();
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('seeds the demo account once in its own schema: 2,341 credits after two weeks of history', async () => {
    expect(app.payments).toBe('stripe');
    expect(app.storage).toContain('Postgres');
    expect((await app.credits.balance.get('demo')).available).toBe(DEMO_PLAN_CREDITS);
    const usage = await app.credits.usage.get('demo', { days: 30 });
    expect(usage.total).toBe(demoHistory().reduce((sum, h) => sum + h.amount, 0));
    expect(usage.byDay.filter((d) => d.total > 0)).toHaveLength(14);
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.entries WHERE account_id = 'demo'`);
    await admin.end();
    // The Starter plan's first grant, its first month's usage, the rollover and the renewal's grant
    // at the period end, then the two weeks of history.
    expect(rows[0].n).toBe(4 + demoHistory().length);
    expect(await app.credits.plans.get('demo')).toMatchObject({ status: 'active', plan: { id: 'starter' }, allowance: { included: 3000, remaining: 2341, carriedOver: 0 } });
  });

  it('buys through Stripe Checkout and credits exactly once, whatever the webhook does', async () => {
    const call = await browser();
    // Without the SDK, the Idempotency-Key the spec requires on createCheckoutSession is ours to send.
    const created = await call('/v1/accounts/me/checkout-sessions', {
      method: 'POST',
      headers: { 'idempotency-key': `checkout-${randomBytes(8).toString('hex')}` },
      body: JSON.stringify({ packageId: 'credits_2000' }),
    });
    expect(created.status).toBe(201);
    const session = (await created.json()) as { id: string; url: string; amountTotal: number };
    expect(session).toMatchObject({ amountTotal: 1000 });
    expect(emulator.sessions.get(session.id)!.metadata).toEqual({ aivah_account_id: 'demo', aivah_package_id: 'credits_2000' });

    const paid = await emulator.pay(session.id);
    expect(paid?.status).toBe(200);
    // Stripe retries and the success page race the first delivery: none of them credits again.
    const event = { type: 'checkout.session.completed', data: { object: emulator.sessions.get(session.id) } };
    await Promise.all([emulator.send(event), emulator.send(event), call(`/v1/accounts/me/checkout-sessions/${session.id}`)]);
    const read = await call(`/v1/accounts/me/checkout-sessions/${session.id}`);
    expect(await read.json()).toMatchObject({ fulfilled: true, credits: 2000, balance: { available: DEMO_PLAN_CREDITS + 2000 } });

    const unsigned = await app.fetch(new Request(`${PUBLIC_URL}/v1/webhooks/stripe`, { method: 'POST', body: JSON.stringify(event), headers: { 'content-type': 'application/json' } }));
    expect(unsigned.status).toBe(400);
    expect((await app.credits.balance.get('demo')).available).toBe(DEMO_PLAN_CREDITS + 2000);
  });

  it('keeps the balance across a restart and does not seed twice', async () => {
    await app.close();
    await start();
    expect((await app.credits.balance.get('demo')).available).toBe(DEMO_PLAN_CREDITS + 2000);
    const purchases = await app.credits.ledger.page('demo', { type: 'grant', limit: 10 });
    expect(purchases.data.map((e) => e.source).sort()).toEqual(['plan', 'plan', 'purchase']);
  });
});
