import { describe, expect, it } from 'vitest';
import { LedgerError } from '../src/ledger/errors.js';
import type { LedgerAdapter } from '../src/ledger/adapter.js';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { createTokenBucketRateLimit } from '../src/http/rate-limit.js';
import { BASE, SERVER_KEY, call, grant, makeHandler } from './http-helpers.js';

const PROBLEM_KEYS = ['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId'];

describe('HTTP problem responses', () => {
  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const { handler } = makeHandler();
    const r = await call(handler, '/v1/accounts/a/consumptions', { body: '{"amount": 1,', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(Object.keys(r.json)).toEqual(expect.arrayContaining(PROBLEM_KEYS));
    expect(r.json.code).toBe('MALFORMED_JSON');
  });

  it('answers schema failures with 400 VALIDATION_FAILED and a path per error', async () => {
    const { handler } = makeHandler();
    const r = await call(handler, '/v1/accounts/a/consumptions', { body: { amount: 0, feature: 'Bad Feature', extra: 1 } });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('VALIDATION_FAILED');
    const paths = r.json.errors.map((e: any) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/amount', '/feature', '/extra']));
    const missing = await call(handler, '/v1/accounts/a/consumptions', { body: {} });
    expect(missing.json.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['/amount', '/feature']));
    const query = await call(handler, '/v1/accounts/a/ledger?limit=0');
    expect(query.json.errors[0].path).toBe('query/limit');
    const header = await call(handler, '/v1/accounts/a/grants', { body: { amount: 1, source: 'promo' }, headers: { 'idempotency-key': 'has space' } });
    expect(header.status).toBe(400);
    expect(header.json.errors[0].path).toBe('header/Idempotency-Key');
    const path = await call(handler, '/v1/accounts/bad.id!/balance');
    expect(path.status).toBe(400);
    expect(path.json.errors[0].path).toBe('path/accountId');
    const noBody = await call(handler, '/v1/accounts/a/consumptions', { method: 'POST' });
    expect(noBody.status).toBe(400);
  });

  it('refuses NUL characters (Postgres cannot store them) with 400 instead of a database error', async () => {
    const { handler } = makeHandler();
    const r = await call(handler, '/v1/accounts/a/consumptions', { body: { amount: 1, feature: 'call', description: 'a\u0000b' } });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('VALIDATION_FAILED');
  });

  it('answers a non-JSON body with 415', async () => {
    const { handler } = makeHandler();
    const r = await call(handler, '/v1/accounts/a/consumptions', { body: 'amount=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(415);
    expect(r.json.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers bodies over 64 kB with 413, by Content-Length and by counting a chunked stream', async () => {
    const { handler } = makeHandler();
    const big = JSON.stringify({ amount: 1, feature: 'x', description: 'a'.repeat(70 * 1024) });
    const byHeader = await call(handler, '/v1/accounts/a/consumptions', { body: big });
    expect(byHeader.status).toBe(413);
    expect(byHeader.json.code).toBe('PAYLOAD_TOO_LARGE');
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 200 * 1024) return controller.close();
        sent += 8192;
        controller.enqueue(new Uint8Array(8192).fill(32));
      },
    });
    const chunked = await handler(
      new Request(`${BASE}/v1/accounts/a/consumptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SERVER_KEY}`, 'content-type': 'application/json', 'idempotency-key': 'chunked-413' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(chunked.status).toBe(413);
    expect(sent).toBeLessThan(200 * 1024); // stopped reading early
  });

  it('answers unknown routes with 404 NOT_FOUND and wrong methods with 405 and Allow', async () => {
    const { handler } = makeHandler();
    const nf = await call(handler, '/v1/nope');
    expect(nf.status).toBe(404);
    expect(nf.json.code).toBe('NOT_FOUND');
    const na = await call(handler, '/v1/accounts/a/balance', { method: 'DELETE' });
    expect(na.status).toBe(405);
    expect(na.json.code).toBe('METHOD_NOT_ALLOWED');
    expect(na.headers.get('allow')).toBe('GET');
    const alert = await call(handler, '/v1/accounts/a/alert-settings', { method: 'POST', body: {} });
    expect(alert.headers.get('allow')).toBe('GET, PUT');
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_USE with Retry-After: 1 while the same key runs', async () => {
    const ledger = createMemoryLedger();
    const slow: LedgerAdapter = Object.create(ledger);
    slow.consume = async () => {
      throw new LedgerError('IDEMPOTENCY_KEY_IN_USE', 'A request with this idempotency key is still running.');
    };
    const { handler } = makeHandler({ ledger: slow });
    const r = await call(handler, '/v1/accounts/a/consumptions', { body: { amount: 1, feature: 'call' }, headers: { 'idempotency-key': 'k' } });
    expect(r.status).toBe(409);
    expect(r.headers.get('retry-after')).toBe('1');
  });

  it('answers unexpected errors with 500 INTERNAL_ERROR without leaking internals, and logs them', async () => {
    const ledger = createMemoryLedger();
    const broken: LedgerAdapter = Object.create(ledger);
    broken.getBalance = async () => {
      throw new Error('connection to 10.0.0.5:5432 refused, password=hunter2');
    };
    const logged: unknown[] = [];
    const { handler } = makeHandler({ ledger: broken, logger: { info() {}, warn() {}, error: (...a: unknown[]) => logged.push(a) } });
    const r = await call(handler, '/v1/accounts/a/balance');
    expect(r.status).toBe(500);
    expect(r.json.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(r.json)).not.toMatch(/hunter2|10\.0\.0\.5/);
    expect(logged).toHaveLength(1);
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const { handler } = makeHandler();
    const ok = await call(handler, '/v1/packages', { headers: { 'x-request-id': 'abc-123' } });
    expect(ok.headers.get('x-request-id')).toBe('abc-123');
    const bad = await call(handler, '/v1/nope', { headers: { 'x-request-id': 'x'.repeat(500) } });
    expect(bad.json.requestId).toMatch(/^req_/);
  });

  it('generates a distinct req_ and 32 hex digits id for every request that sends none', async () => {
    const { handler } = makeHandler();
    const ids = new Set<string>();
    // More requests than one refill of the random pool serves (256 ids).
    for (let i = 0; i < 300; i++) {
      const r = await call(handler, '/v1/nope');
      expect(r.json.requestId).toMatch(/^req_[0-9a-f]{32}$/);
      ids.add(r.json.requestId);
    }
    expect(ids.size).toBe(300);
  });

  it('rate-limits browser identities with 429 and Retry-After, never the server key', async () => {
    // The default limits (20/s, burst 40) on a frozen clock, so a slow machine cannot refill the bucket.
    const { handler } = makeHandler({ rateLimit: createTokenBucketRateLimit({ now: () => 1_000_000 }) });
    await grant(handler, 'rl', 10);
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await call(handler, '/v1/accounts/me/balance', { auth: 'Session rl' })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const limited = await call(handler, '/v1/accounts/me/balance', { auth: 'Session rl' });
    expect(limited.json.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 60; i++) expect((await call(handler, '/v1/accounts/rl/balance')).status).toBe(200);
  });

  it('lets a custom rateLimit hook refuse requests', async () => {
    const { handler } = makeHandler({ rateLimit: () => ({ ok: false, retryAfterSeconds: 7 }) });
    const r = await call(handler, '/v1/packages');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
  });
});
