import { describe, expect, it } from 'vitest';
import { call, grant, makeHandler } from './http-helpers.js';
import { createMemoryLedger } from '../src/ledger/index.js';

describe('HTTP operations on the memory ledger', () => {
  it('answers a zero balance (version 0) for an account without grants', async () => {
    const { handler } = makeHandler();
    const r = await call(handler, '/v1/accounts/acct_new/balance');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ accountId: 'acct_new', available: 0, held: 0, deficit: 0, grants: [], version: 0 });
    expect(r.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('grants, consumes and replays a consumption with the same Idempotency-Key', async () => {
    const { handler } = makeHandler();
    await grant(handler, 'a1', 100);
    const first = await call(handler, '/v1/accounts/a1/consumptions', { body: { amount: 30, feature: 'conversation' }, headers: { 'idempotency-key': 'k1' } });
    expect(first.status).toBe(201);
    expect(first.json.balance.available).toBe(70);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await call(handler, '/v1/accounts/a1/consumptions', { body: { feature: 'conversation', amount: 30 }, headers: { 'idempotency-key': 'k1' } });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.entry.id).toBe(first.json.entry.id);
    const reused = await call(handler, '/v1/accounts/a1/consumptions', { body: { amount: 31, feature: 'conversation' }, headers: { 'idempotency-key': 'k1' } });
    expect(reused.status).toBe(422);
    expect(reused.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const balance = await call(handler, '/v1/accounts/a1/balance');
    expect(balance.json.available).toBe(70);
  });

  it('answers 402 with available and required, deducting nothing', async () => {
    const { handler } = makeHandler();
    await grant(handler, 'a2', 10);
    const r = await call(handler, '/v1/accounts/a2/consumptions', { body: { amount: 50, feature: 'media_generation' } });
    expect(r.status).toBe(402);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(r.json).toMatchObject({ code: 'INSUFFICIENT_CREDITS', available: 10, required: 50, status: 402, instance: '/v1/accounts/a2/consumptions' });
    expect(r.json.requestId).toBe(r.headers.get('x-request-id'));
    const none = await call(handler, '/v1/accounts/nobody/consumptions', { body: { amount: 1, feature: 'call' } });
    expect(none.status).toBe(402);
    expect(none.json).toMatchObject({ available: 0, required: 1 });
    const hold = await call(handler, '/v1/accounts/nobody/holds', { body: { amount: 2, feature: 'call' } });
    expect(hold.json).toMatchObject({ status: 402, available: 0, required: 2 });
  });

  it('runs a hold through capture, and rejects a second capture with 409 HOLD_NOT_ACTIVE', async () => {
    const { handler } = makeHandler();
    await grant(handler, 'a3', 100);
    const hold = await call(handler, '/v1/accounts/a3/holds', { body: { amount: 60, feature: 'call' } });
    expect(hold.status).toBe(201);
    expect(hold.json.balance).toMatchObject({ available: 40, held: 60 });
    const tooMuch = await call(handler, `/v1/accounts/a3/holds/${hold.json.id}/capture`, { body: { amount: 61 } });
    expect(tooMuch.json.code).toBe('CAPTURE_EXCEEDS_HOLD');
    expect(tooMuch.status).toBe(422);
    const cap = await call(handler, `/v1/accounts/a3/holds/${hold.json.id}/capture`, { body: { amount: 20 } });
    expect(cap.status).toBe(200);
    expect(cap.json).toMatchObject({ status: 'captured', captured: 20, balance: { available: 80, held: 0 } });
    const rel = await call(handler, `/v1/accounts/a3/holds/${hold.json.id}/release`, { method: 'POST' });
    expect(rel.status).toBe(409);
    expect(rel.json.code).toBe('HOLD_NOT_ACTIVE');
    const missing = await call(handler, '/v1/accounts/a3/holds/hold_nope/release', { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe('HOLD_NOT_FOUND');
  });

  it('lists ledger entries with cursor pagination and the type filter', async () => {
    const { handler } = makeHandler();
    await grant(handler, 'a4', 100);
    for (let i = 0; i < 5; i++) await call(handler, '/v1/accounts/a4/consumptions', { body: { amount: 1, feature: 'conversation' } });
    const page1 = await call(handler, '/v1/accounts/a4/ledger?limit=4');
    expect(page1.status).toBe(200);
    expect(page1.json.data).toHaveLength(4);
    expect(page1.json.hasMore).toBe(true);
    const page2 = await call(handler, `/v1/accounts/a4/ledger?limit=4&cursor=${encodeURIComponent(page1.json.nextCursor)}`);
    expect(page2.json.data).toHaveLength(2);
    const grants = await call(handler, '/v1/accounts/a4/ledger?type=grant');
    expect(grants.json.data.map((e: any) => e.type)).toEqual(['grant']);
  });

  it('summarises usage by day and feature with a forecast', async () => {
    const { handler } = makeHandler();
    await grant(handler, 'a5', 1000);
    await call(handler, '/v1/accounts/a5/consumptions', { body: { amount: 70, feature: 'conversation' } });
    await call(handler, '/v1/accounts/a5/consumptions', { body: { amount: 30, feature: 'call' } });
    const r = await call(handler, '/v1/accounts/a5/usage?days=10');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ accountId: 'a5', days: 10, total: 100 });
    expect(r.json.byDay).toHaveLength(10);
    expect(r.json.byFeature[0]).toEqual({ feature: 'conversation', total: 70 });
    expect(r.json.forecast).toMatchObject({ dailyAverage: 10, projected30Days: 300, available: 900, daysLeft: 90 });
    expect(r.json.forecast.depletionDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('counts usage in the UTC day of the handler\'s clock, so a summary just after midnight is exact', async () => {
    let t = Date.parse('2026-03-09T23:59:59.900Z');
    const now = () => new Date(t);
    const { handler } = makeHandler({ ledger: createMemoryLedger({ now }), now });
    await grant(handler, 'mid', 100);
    await call(handler, '/v1/accounts/mid/consumptions', { body: { amount: 40, feature: 'call' } });
    t = Date.parse('2026-03-10T00:00:00.100Z');
    await call(handler, '/v1/accounts/mid/consumptions', { body: { amount: 20, feature: 'call' } });
    const r = await call(handler, '/v1/accounts/mid/usage?days=2');
    expect(r.json).toMatchObject({ from: '2026-03-09T00:00:00.000Z', to: '2026-03-11T00:00:00.000Z', total: 60 });
    expect(r.json.byDay).toEqual([
      { date: '2026-03-09', total: 40, byFeature: { call: 40 } },
      { date: '2026-03-10', total: 20, byFeature: { call: 20 } },
    ]);
    // 30 a day leaves 40 credits for one more whole day: depleted on the 11th.
    expect(r.json.forecast).toMatchObject({ dailyAverage: 30, available: 40, daysLeft: 1.3, depletionDate: '2026-03-11' });
  });

  it('reads and updates alert settings, replaying the update on the same key', async () => {
    const { handler } = makeHandler();
    const early = await call(handler, '/v1/accounts/a6/alert-settings', { method: 'PUT', body: { mode: 'absolute', threshold: 5 } });
    expect(early.status).toBe(404); // an account exists from its first grant
    await grant(handler, 'a6', 500);
    const get = await call(handler, '/v1/accounts/a6/alert-settings');
    expect(get.status).toBe(200);
    expect(get.json).toMatchObject({ mode: 'usage_percent', percent: 25 });
    const put = await call(handler, '/v1/accounts/a6/alert-settings', { method: 'PUT', body: { mode: 'absolute', threshold: 100 }, headers: { 'idempotency-key': 'al1' } });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ mode: 'absolute', threshold: 100 });
    const replay = await call(handler, '/v1/accounts/a6/alert-settings', { method: 'PUT', body: { mode: 'absolute', threshold: 100 }, headers: { 'idempotency-key': 'al1' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('lists the six packages of the default catalogue, cheapest first', async () => {
    const { handler } = makeHandler();
    const r = await call(handler, '/v1/packages');
    expect(r.json.data.map((p: any) => [p.id, p.name, p.price.amount])).toEqual([
      ['credits_2000', '2,000 Credits', 1000],
      ['credits_5000', '5,000 Credits', 2000],
      ['credits_10000', '10,000 Credits', 3000],
      ['credits_20000', '20,000 Credits', 4000],
      ['credits_30000', '30,000 Credits', 5000],
      ['credits_40000', '40,000 Credits', 6000],
    ]);
  });

  it('answers 503 PAYMENTS_NOT_CONFIGURED for purchases without Stripe', async () => {
    const { handler } = makeHandler();
    const r = await call(handler, '/v1/accounts/a7/checkout-sessions', { body: { packageId: 'credits_2000' } });
    expect(r.status).toBe(503);
    expect(r.json.code).toBe('PAYMENTS_NOT_CONFIGURED');
  });
});
