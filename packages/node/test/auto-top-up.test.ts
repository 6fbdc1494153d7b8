import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createAutoTopUpWorker } from '../src/auto-top-up/worker.js';
import { createCheckoutEmulator } from '../src/emulator/checkout-emulator.js';
import { TEST_CARDS } from '../src/emulator/payment-intents.js';
import type { LedgerAdapter } from '../src/ledger/adapter.js';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { createPostgresLedger } from '../src/postgres.js';
import { BASE, call, makeHandler, quietLogger } from './http-helpers.js';
import { WEBHOOK_SECRET } from './stripe-helpers.js';

type Handler = (r: Request) => Promise<Response>;

/** A handler on `ledger` with the emulator delivering webhooks in-process, and a worker on a movable clock. */
function setup(ledger?: LedgerAdapter, workerOptions: Record<string, unknown> = {}) {
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const store = ledger ?? createMemoryLedger({ now });
  let target: Handler = async () => new Response(null, { status: 503 });
  let delivering = true;
  const emulator = createCheckoutEmulator({ webhookSecret: WEBHOOK_SECRET, publicUrl: BASE, deliver: (r) => (delivering ? target(r) : Promise.resolve(new Response(null, { status: 503 }))) });
  const { handler } = makeHandler({ ledger: store, stripe: emulator, webhooks: { stripeSecret: WEBHOOK_SECRET }, publicUrl: BASE, now });
  target = handler;
  const worker = createAutoTopUpWorker({ ledger: store, stripe: emulator, publicUrl: BASE, logger: quietLogger, now, ...workerOptions });
  return {
    ledger: store, handler, emulator, worker,
    advance: (ms: number) => void (offset += ms),
    /** Stops (or resumes) delivering Stripe's webhooks, as an endpoint that is down. */
    deliverWebhooks: (on: boolean) => void (delivering = on),
  };
}

type Setup = ReturnType<typeof setup>;

/** Buys credits_2000 through Checkout as `account`, saving `card`. */
async function saveCard({ handler, emulator }: Setup, account: string, card: string = TEST_CARDS.success) {
  const created = await call(handler, '/v1/accounts/me/checkout-sessions', { auth: `Session ${account}`, body: { packageId: 'credits_2000' } });
  await emulator.pay(created.json.id, {}, card);
}

const turnOn = (handler: Handler, account: string, extra: Record<string, unknown> = {}) =>
  call(handler, '/v1/accounts/me/auto-top-up', { auth: `Session ${account}`, method: 'PUT', body: { enabled: true, mode: 'absolute', threshold: 500, packageId: 'credits_5000', ...extra } });

const consume = (handler: Handler, account: string, amount: number) => call(handler, `/v1/accounts/${account}/consumptions`, { body: { amount, feature: 'conversation' } });
const available = async (handler: Handler, account: string) => (await call(handler, `/v1/accounts/${account}/balance`)).json.available as number;
const autoTopUp = async (handler: Handler, account: string) => (await call(handler, '/v1/accounts/me/auto-top-up', { auth: `Session ${account}` })).json;
const intentsOf = (s: Setup, account: string) => [...s.emulator.paymentIntentsById.values()].filter((p) => p.metadata?.aivah_account_id === account && p.metadata?.aivah_payment === 'auto_top_up');
const outbox = async (ledger: LedgerAdapter, account: string) => (await ledger.claimOutboxEvents(500, 60_000)).filter((e) => e.accountId === account);

describe('auto top-up through the emulator', () => {
  it('a consume that crosses the threshold leads to one charge of the catalogue price and one auto_top_up purchase, whatever reports it', async () => {
    const s = setup();
    await saveCard(s, 'auto');
    const on = await turnOn(s.handler, 'auto');
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({ enabled: true, effectiveThreshold: 500, packageId: 'credits_5000', state: 'ok', notice: null });
    await consume(s.handler, 'auto', 1400);
    expect((await s.worker.runOnce()).claimed).toBe(0);
    await consume(s.handler, 'auto', 200); // 600 -> 400: crossed
    await consume(s.handler, 'auto', 100); // still below: no second crossing
    expect(await s.worker.runOnce()).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(await available(s.handler, 'auto')).toBe(5300);
    const [intent, ...others] = intentsOf(s, 'auto');
    expect(others).toHaveLength(0);
    expect(intent).toMatchObject({ amount: 2000, currency: 'usd', status: 'succeeded' });
    // The webhook of the charge, again and again, and another run: nothing more.
    const succeeded = s.emulator.events.find((e) => e.type === 'payment_intent.succeeded' && (e.data.object as { id: string }).id === intent!.id)!;
    await Promise.all([s.emulator.send(succeeded), s.emulator.send(succeeded), s.worker.runOnce()]);
    expect(await available(s.handler, 'auto')).toBe(5300);
    const purchased = (await outbox(s.ledger, 'auto')).filter((e) => e.type === 'credits.purchased');
    expect(purchased.map((e) => e.data.trigger)).toEqual(['checkout', 'auto_top_up']);
    expect(await autoTopUp(s.handler, 'auto')).toMatchObject({ state: 'ok', usedThisMonth: { count: 1, amount: 2000 }, latest: { status: 'succeeded', paymentIntentId: intent!.id } });
  });

  for (const card of [TEST_CARDS.authenticationRequired, TEST_CARDS.authenticationAlwaysRequired]) {
    it(`authentication required (${card}): needs action with a notice and topup.action_required, nothing credited; the Checkout it links credits once and clears the state`, async () => {
      const s = setup();
      await saveCard(s, 'secure', card);
      await turnOn(s.handler, 'secure');
      await consume(s.handler, 'secure', 1600);
      expect(await s.worker.runOnce()).toMatchObject({ actionRequired: 1 });
      expect(await available(s.handler, 'secure')).toBe(400);
      const state = await autoTopUp(s.handler, 'secure');
      expect(state).toMatchObject({ state: 'action_required', notice: { kind: 'action_required', actionUrl: expect.stringContaining('/emulator/checkout/cs_test_') } });
      const events = (await outbox(s.ledger, 'secure')).filter((e) => e.type === 'topup.action_required');
      expect(events).toHaveLength(1);
      expect(events[0]!.data).toMatchObject({ actionUrl: state.notice.actionUrl, amountTotal: 2000, packageId: 'credits_5000' });
      expect(intentsOf(s, 'secure').map((p) => p.status)).toEqual(['canceled']);
      // Nothing else is charged while the buyer is away, whatever they spend.
      await consume(s.handler, 'secure', 300);
      expect((await s.worker.runOnce()).claimed).toBe(0);
      await s.emulator.pay(state.notice.actionUrl.split('/').pop(), {}, TEST_CARDS.success);
      expect(await available(s.handler, 'secure')).toBe(5100);
      expect(await autoTopUp(s.handler, 'secure')).toMatchObject({ state: 'ok', notice: null, latest: { status: 'canceled' } });
    });
  }

  it('a declined card is retried with backoff, then auto top-up pauses with topup.failed and a notice; a new card through Checkout resumes it', async () => {
    const s = setup(undefined, { maxAttempts: 3, retryDelaysMs: [60_000, 120_000] });
    await saveCard(s, 'declined', TEST_CARDS.declined);
    await turnOn(s.handler, 'declined');
    await consume(s.handler, 'declined', 1600);
    expect(await s.worker.runOnce()).toMatchObject({ retried: 1 });
    expect(await s.worker.runOnce()).toMatchObject({ claimed: 0 }); // not due before the backoff
    s.advance(60_000);
    expect(await s.worker.runOnce()).toMatchObject({ retried: 1 });
    s.advance(60_000);
    expect(await s.worker.runOnce()).toMatchObject({ claimed: 0 });
    s.advance(60_000);
    expect(await s.worker.runOnce()).toMatchObject({ failed: 1 });
    expect(intentsOf(s, 'declined')).toHaveLength(3); // one charge per attempt, each with its own key
    expect(await available(s.handler, 'declined')).toBe(400);
    const paused = await autoTopUp(s.handler, 'declined');
    expect(paused).toMatchObject({ state: 'paused', notice: { kind: 'failed', actionUrl: null }, latest: { status: 'failed', attempts: 3, lastError: 'card_declined:generic_decline' } });
    expect((await outbox(s.ledger, 'declined')).filter((e) => e.type === 'topup.failed')).toHaveLength(1);
    // A purchase with a new card resumes auto top-up, and the next crossing charges the new card.
    await saveCard(s, 'declined', TEST_CARDS.success);
    expect(await autoTopUp(s.handler, 'declined')).toMatchObject({ state: 'ok', notice: null });
    await consume(s.handler, 'declined', 2000);
    expect(await s.worker.runOnce()).toMatchObject({ succeeded: 1 });
    expect(await available(s.handler, 'declined')).toBe(400 + 5000);
  });

  it('a card saved outside Checkout (payment_method.attached) resumes a paused auto top-up, but only on the customer kept for the account', async () => {
    const s = setup(undefined, { maxAttempts: 1 });
    await saveCard(s, 'portal', TEST_CARDS.declined);
    await turnOn(s.handler, 'portal');
    await consume(s.handler, 'portal', 1600);
    expect(await s.worker.runOnce()).toMatchObject({ failed: 1 });
    expect(await autoTopUp(s.handler, 'portal')).toMatchObject({ state: 'paused' });
    // Another customer claiming the account in its metadata is not the account's customer.
    const impostor = await s.emulator.customers.create({ metadata: { aivah_account_id: 'portal' } });
    await s.emulator.attachCard(impostor.id, TEST_CARDS.success);
    expect(await autoTopUp(s.handler, 'portal')).toMatchObject({ state: 'paused' });
    await s.emulator.attachCard((await s.ledger.getPaymentCustomer('portal'))!, TEST_CARDS.success);
    expect(await autoTopUp(s.handler, 'portal')).toMatchObject({ state: 'ok', notice: null });
  });

  it('a crash between the charge and the grant: the next run (or the webhook) credits exactly once, and nothing is charged twice', async () => {
    const base = createMemoryLedger();
    let killed = false;
    // The process dies right after Stripe answered: the outcome is never recorded.
    const crashing: LedgerAdapter = Object.assign(Object.create(base), {
      settleTopUp: async (...args: Parameters<LedgerAdapter['settleTopUp']>) => {
        if (!killed) {
          killed = true;
          throw new Error('process killed');
        }
        return base.settleTopUp(...args);
      },
    });
    const s = setup(base);
    const dying = createAutoTopUpWorker({ ledger: crashing, stripe: s.emulator, publicUrl: BASE, logger: quietLogger, leaseMs: 50 });
    await saveCard(s, 'crash');
    await turnOn(s.handler, 'crash');
    // The emulator's webhook would credit the charge at once; hold it back to see the worker recover alone.
    const heldBack = s.emulator.events.length;
    s.deliverWebhooks(false);
    await consume(s.handler, 'crash', 1600);
    expect(await dying.runOnce()).toMatchObject({ deferred: 1 });
    expect(await available(s.handler, 'crash')).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const next = createAutoTopUpWorker({ ledger: base, stripe: s.emulator, publicUrl: BASE, logger: quietLogger });
    expect(await next.runOnce()).toMatchObject({ succeeded: 1 });
    expect(intentsOf(s, 'crash')).toHaveLength(1);
    s.deliverWebhooks(true);
    const succeeded = s.emulator.events.slice(heldBack).filter((e) => e.type === 'payment_intent.succeeded');
    expect(succeeded.length).toBeGreaterThan(0);
    await Promise.all(succeeded.map((e) => s.emulator.send(e)));
    expect(await available(s.handler, 'crash')).toBe(400 + 5000);
  });

  it('bad input answers 4xx and stores nothing: unknown package, a cap below zero, a threshold over the limit, no stored card', async () => {
    const s = setup();
    await saveCard(s, 'strict');
    const cases = [
      [{ packageId: 'credits_1' }, 422, 'PACKAGE_NOT_FOUND'],
      [{ monthlyCountCap: -1 }, 400, 'VALIDATION_FAILED'],
      [{ monthlyAmountCap: -100 }, 400, 'VALIDATION_FAILED'],
      [{ threshold: 1_000_000_001 }, 400, 'VALIDATION_FAILED'],
      [{ threshold: null }, 400, 'VALIDATION_FAILED'],
      [{ mode: 'usage_percent', percent: 0 }, 400, 'VALIDATION_FAILED'],
    ] as const;
    for (const [extra, status, code] of cases) {
      const r = await turnOn(s.handler, 'strict', extra);
      expect([r.status, r.json.code]).toEqual([status, code]);
    }
    await call(s.handler, '/v1/accounts/cardless/grants', { body: { amount: 100, source: 'promo' } });
    const cardless = await turnOn(s.handler, 'cardless');
    expect([cardless.status, cardless.json.code]).toEqual([409, 'PAYMENT_METHOD_REQUIRED']);
    expect(await autoTopUp(s.handler, 'strict')).toMatchObject({ enabled: false, updatedAt: null });
    expect(await autoTopUp(s.handler, 'cardless')).toMatchObject({ enabled: false, updatedAt: null });
  });
});

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('auto top-up on one Postgres behind two server instances', () => {
  it('64 concurrent consumes through two handlers crossing together, with two workers, make exactly one charge', async () => {
    const schema = `topup_test_${randomBytes(6).toString('hex')}`;
    const pool = new pg.Pool({ connectionString: url, max: 8 });
    const first = createPostgresLedger({ pool, schema });
    const second = createPostgresLedger({ connectionString: url!, schema, max: 8 });
    try {
      await first.migrate();
      await second.migrate();
      const a = setup(first);
      // The second instance shares the Stripe account (the emulator) and the database.
      const { handler: otherHandler } = makeHandler({ ledger: second, stripe: a.emulator, webhooks: { stripeSecret: WEBHOOK_SECRET }, publicUrl: BASE });
      const otherWorker = createAutoTopUpWorker({ ledger: second, stripe: a.emulator, publicUrl: BASE, logger: quietLogger });
      await saveCard(a, 'hot');
      await consume(a.handler, 'hot', 2000 - 640); // 640 left
      await turnOn(a.handler, 'hot', { threshold: 635 });
      const results = await Promise.all(Array.from({ length: 64 }, (_, i) => consume(i % 2 ? otherHandler : a.handler, 'hot', 10)));
      expect(results.every((r) => r.status === 201)).toBe(true);
      const [one, two] = await Promise.all([a.worker.runOnce(), otherWorker.runOnce()]);
      expect(one.claimed + two.claimed).toBe(1);
      expect(intentsOf(a, 'hot')).toHaveLength(1);
      expect(await available(a.handler, 'hot')).toBe(5000);
    } finally {
      await second.close();
      await first.close();
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    }
  });
});
