/**
 * Reliability on a real Postgres: two handler instances on one schema, dropped connections,
 * and balance streams across instances. Skipped (with the reason printed) without TEST_DATABASE_URL.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresLedger } from '../src/ledger/postgres.js';
import type { LedgerAdapter } from '../src/ledger/adapter.js';
import { createCheckoutEmulator } from '../src/emulator/checkout-emulator.js';
import { stripeEvent } from '../src/testing/stripe-sign.js';
import { BASE, SERVER_KEY, call, makeHandler } from './http-helpers.js';
import { WEBHOOK_SECRET } from './stripe-helpers.js';

const url = process.env.TEST_DATABASE_URL;
if (!url) console.warn('HTTP Postgres tests skipped: TEST_DATABASE_URL is not set');
const schema = `http_test_${process.pid}_${Date.now().toString(36)}`;
const APP = `aivah_http_${process.pid}`;

describe.skipIf(!url)('HTTP handler on Postgres', () => {
  const pools: pg.Pool[] = [];
  const ledgers: LedgerAdapter[] = [];
  function instance() {
    const pool = new pg.Pool({ connectionString: url, max: 4, application_name: APP });
    pool.on('error', () => {}); // a terminated idle client must not crash the test process
    pools.push(pool);
    const ledger = createPostgresLedger({ pool, schema });
    ledgers.push(ledger);
    return ledger;
  }
  let a: LedgerAdapter;
  let b: LedgerAdapter;

  beforeAll(async () => {
    a = instance();
    b = instance();
    await Promise.all([a.migrate(), b.migrate()]);
  });
  afterAll(async () => {
    await Promise.all(ledgers.map((l) => l.close().catch(() => {})));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    await Promise.all(pools.map((p) => p.end().catch(() => {})));
  });

  it('credits a purchase once under a webhook storm across two instances (duplicates, reordering, concurrency)', async () => {
    const targets: Array<(r: Request) => Promise<Response>> = [];
    let n = 0;
    const emulator = createCheckoutEmulator({ webhookSecret: WEBHOOK_SECRET, publicUrl: BASE, deliver: (r) => targets[n++ % 2]!(r) });
    const one = makeHandler({ ledger: a, stripe: emulator, webhooks: { stripeSecret: WEBHOOK_SECRET } }).handler;
    const two = makeHandler({ ledger: b, stripe: emulator, webhooks: { stripeSecret: WEBHOOK_SECRET } }).handler;
    targets.push(one, two);
    const created = await call(one, '/v1/accounts/me/checkout-sessions', { auth: 'Session storm', body: { packageId: 'credits_5000' } });
    const session = emulator.sessions.get(created.json.id)!;
    Object.assign(session, { status: 'complete', payment_status: 'paid', payment_intent: 'pi_storm', url: null });
    const events = [stripeEvent('checkout.session.completed', { ...session }), stripeEvent('checkout.session.async_payment_succeeded', { ...session })];
    const work: Array<Promise<unknown>> = [];
    for (let i = 0; i < 24; i++) work.push(emulator.send(events[i % 2]!));
    for (let i = 0; i < 8; i++) work.push(call(i % 2 ? one : two, `/v1/accounts/me/checkout-sessions/${session.id}`, { auth: 'Session storm' }));
    const results = await Promise.all(work);
    expect(results.slice(0, 24).map((r) => (r as Response).status).every((s) => s === 200)).toBe(true);
    expect((await b.getBalance('storm'))!.available).toBe(5000);
    const grants = await a.listEntries({ accountId: 'storm', type: 'grant' });
    expect(grants.data).toHaveLength(1);
  });

  it('loses and duplicates nothing when Postgres connections are killed mid-request; retries with the same keys apply once', async () => {
    const { handler } = makeHandler({ ledger: a });
    await a.grant({ accountId: 'drop', amount: 1000, source: 'promo', idempotencyKey: 'seed', requestHash: 'seed' });
    const consume = (i: number) => call(handler, '/v1/accounts/drop/consumptions', { body: { amount: 3, feature: 'call' }, headers: { 'idempotency-key': `drop-${i}` } });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const inflight = Array.from({ length: 40 }, (_, i) => consume(i));
    await new Promise((r) => setTimeout(r, 2));
    const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`, [APP]);
    await admin.end();
    const first = await Promise.all(inflight);
    const failed = first.filter((r) => r.status !== 201);
    for (const r of failed) expect([500, 409]).toContain(r.status); // connection loss is ours, never blamed on the client
    let retries = first.map((r, i) => (r.status === 201 ? null : i)).filter((i): i is number => i !== null);
    for (let round = 0; round < 20 && retries.length > 0; round++) {
      const again = await Promise.all(retries.map((i) => consume(i)));
      retries = retries.filter((_, k) => again[k]!.status !== 201);
      if (retries.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(retries).toEqual([]);
    const balance = await a.getBalance('drop');
    expect(balance!.available).toBe(1000 - 40 * 3);
    const entries = await a.listEntries({ accountId: 'drop', type: 'consume', limit: 200 });
    expect(entries.data).toHaveLength(40);
    console.info(`connection drop: killed ${killed.rowCount} backends, ${failed.length} requests failed and were retried`);
  });

  it('streams a consume made on one instance to a balance stream on the other (LISTEN/NOTIFY)', async () => {
    const streamer = makeHandler({ ledger: a }).handler;
    const writer = makeHandler({ ledger: b }).handler;
    await b.grant({ accountId: 'live', amount: 50, source: 'promo', idempotencyKey: 'seed', requestHash: 'seed' });
    const controller = new AbortController();
    const res = await streamer(new Request(`${BASE}/v1/accounts/live/balance/stream`, { headers: { authorization: `Bearer ${SERVER_KEY}` }, signal: controller.signal }));
    const reader = res.body!.getReader();
    let text = '';
    const until = async (needle: string) => {
      const deadline = Date.now() + 5000;
      while (!text.includes(needle)) {
        if (Date.now() > deadline) throw new Error(`timeout waiting for ${needle}: ${text}`);
        const { value, done } = await reader.read();
        if (done) throw new Error('ended');
        text += new TextDecoder().decode(value);
      }
    };
    await until('"available":50');
    // No wait for LISTEN to take effect: a change made before it does must still reach the stream.
    await call(writer, '/v1/accounts/live/consumptions', { body: { amount: 8, feature: 'call' } });
    await until('"available":42');
    controller.abort();
  });
});
