/**
 * Request-level guarantees that sit around the ledger: idempotency keys where money or credits
 * move, return URLs from configuration only, wrong credentials next to a valid cookie, the stream
 * cap, and the rate limit hooks.
 */
import { describe, expect, it } from 'vitest';
import { createServerKeyIdentify } from '../src/http/auth.js';
import { rateLimitFrom } from '../src/http/rate-limit-shared.js';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { createCheckoutEmulator } from '../src/emulator/checkout-emulator.js';
import { BASE, SERVER_KEY, call, grant, makeHandler, VALID_BODIES } from './http-helpers.js';
import { WEBHOOK_SECRET } from './stripe-helpers.js';

const MONEY_OPERATIONS: Array<[string, string]> = [
  ['consumeCredits', '/v1/accounts/acct/consumptions'],
  ['createHold', '/v1/accounts/acct/holds'],
  ['captureHold', '/v1/accounts/acct/holds/hold_x/capture'],
  ['releaseHold', '/v1/accounts/acct/holds/hold_x/release'],
  ['createGrant', '/v1/accounts/acct/grants'],
  ['createCheckoutSession', '/v1/accounts/acct/checkout-sessions'],
];

function stripeHandler(options: Parameters<typeof makeHandler>[0] = {}) {
  const emulator = createCheckoutEmulator({ webhookSecret: WEBHOOK_SECRET, publicUrl: BASE, deliver: async () => new Response(null) });
  return makeHandler({ stripe: emulator, webhooks: { stripeSecret: WEBHOOK_SECRET }, ...options });
}

describe('Idempotency-Key on operations that move credits or money', () => {
  it.each(MONEY_OPERATIONS)('%s without the header is 400 IDEMPOTENCY_KEY_MISSING and changes nothing', async (operationId, path) => {
    const { handler, ledger } = stripeHandler();
    await grant(handler, 'acct', 10);
    const before = await ledger.getBalance('acct');
    const res = await call(handler, path, { body: VALID_BODIES[operationId] ?? {}, idempotencyKey: null });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISSING', errors: [{ path: 'header/Idempotency-Key' }] });
    expect(await ledger.getBalance('acct')).toEqual(before);
  });

  it('is not required to change alert settings (no credits or money move)', async () => {
    const { handler } = makeHandler();
    await grant(handler, 'acct', 10);
    const res = await call(handler, '/v1/accounts/acct/alert-settings', { method: 'PUT', body: VALID_BODIES.updateAlertSettings, idempotencyKey: null });
    expect(res.status).toBe(200);
  });
});

describe('return URLs come from configuration, never from the Host header', () => {
  /** A handler on the emulator that records the URLs each checkout session was created with. */
  function recording(options: Parameters<typeof makeHandler>[0]) {
    const emulator = createCheckoutEmulator({ webhookSecret: WEBHOOK_SECRET, publicUrl: BASE, deliver: async () => new Response(null) });
    const hosts: string[] = [];
    const create = emulator.checkout.sessions.create.bind(emulator.checkout.sessions);
    emulator.checkout.sessions.create = (params, requestOptions) => {
      hosts.push(`${new URL(params.success_url).host} ${new URL(params.cancel_url).host}`);
      return create(params, requestOptions);
    };
    return { ...makeHandler({ stripe: emulator, ...options }), hosts };
  }
  const checkout = (handler: (r: Request) => Promise<Response>, host: string) =>
    handler(
      new Request(`http://${host}/v1/accounts/acct/checkout-sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SERVER_KEY}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
        body: JSON.stringify({ packageId: 'credits_2000' }),
      }),
    );

  it('ignores a forged Host and uses publicUrl', async () => {
    const { handler, hosts } = recording({ publicUrl: 'https://app.example.com/' });
    expect((await checkout(handler, 'evil.example')).status).toBe(201);
    expect(hosts).toEqual(['app.example.com app.example.com']);
  });

  it('answers 503 PAYMENTS_NOT_CONFIGURED without publicUrl instead of trusting the Host', async () => {
    const { handler, hosts } = recording({ publicUrl: undefined });
    const res = await checkout(handler, 'evil.example');
    expect(res.status).toBe(503);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('PAYMENTS_NOT_CONFIGURED');
    expect(problem.detail).toMatch(/publicUrl/);
    expect(hosts).toEqual([]);
  });

  it('uses the request origin only for hosts trustHost lists', async () => {
    const { handler, hosts } = recording({ publicUrl: 'http://localhost:8787', trustHost: ['localhost:8787', '127.0.0.1:8787'] });
    expect((await checkout(handler, '127.0.0.1:8787')).status).toBe(201);
    expect((await checkout(handler, 'evil.example')).status).toBe(201);
    expect(hosts).toEqual(['127.0.0.1:8787 127.0.0.1:8787', 'localhost:8787 localhost:8787']);
  });

  it('refuses a billing portal returnUrl on another origin', async () => {
    const { handler } = recording({ publicUrl: 'https://app.example.com' });
    const bad = await call(handler, '/v1/accounts/acct/billing-portal-sessions', { body: { returnUrl: 'https://evil.example/' } });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('VALIDATION_FAILED');
    const good = await call(handler, '/v1/accounts/acct/billing-portal-sessions', { body: { returnUrl: 'https://app.example.com/ledger' } });
    expect(good.status).toBe(201);
    expect(good.json.url).toContain(encodeURIComponent('https://app.example.com/ledger'));
  });
});

describe('credentials', () => {
  const identify = createServerKeyIdentify({
    secretKey: SERVER_KEY,
    browser: (request) => (/(^|;\s*)session=alice(;|$)/.test(request.headers.get('cookie') ?? '') ? { accountId: 'alice' } : null),
  });

  it('a wrong Authorization header next to a valid session cookie is 401, not that session', async () => {
    const { handler } = makeHandler({ identify });
    const cookieOnly = await handler(new Request(`${BASE}/v1/accounts/me/balance`, { headers: { cookie: 'session=alice' } }));
    expect(cookieOnly.status).toBe(200);
    const wrongKey = await handler(new Request(`${BASE}/v1/accounts/me/balance`, { headers: { cookie: 'session=alice', authorization: 'Bearer sk_wrong' } }));
    expect(wrongKey.status).toBe(401);
    expect(((await wrongKey.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
  });

  it('a session token checked by the browser hook itself still works in the Authorization header', async () => {
    const tokenIdentify = createServerKeyIdentify({
      secretKey: SERVER_KEY,
      browser: (request) => (request.headers.get('authorization') === 'Bearer session_bob' ? { accountId: 'bob' } : null),
    });
    const { handler } = makeHandler({ identify: tokenIdentify });
    const res = await handler(new Request(`${BASE}/v1/accounts/me/balance`, { headers: { authorization: 'Bearer session_bob' } }));
    expect(res.status).toBe(200);
  });
});

describe('live balance streams per identity', () => {
  it('answers 429 TOO_MANY_STREAMS past the cap and frees a slot when a stream closes', async () => {
    const { handler } = makeHandler({ maxStreamsPerIdentity: 2 });
    const open = () => {
      const controller = new AbortController();
      const promise = handler(new Request(`${BASE}/v1/accounts/s1/balance/stream`, { headers: { authorization: `Bearer ${SERVER_KEY}` }, signal: controller.signal }));
      return { controller, promise };
    };
    const first = open();
    const second = open();
    expect((await first.promise).status).toBe(200);
    expect((await second.promise).status).toBe(200);
    const third = await open().promise;
    expect(third.status).toBe(429);
    expect(third.headers.get('content-type')).toBe('application/problem+json');
    expect(((await third.json()) as { code: string }).code).toBe('TOO_MANY_STREAMS');
    // Another account of the same server key has its own slots.
    const other = await handler(new Request(`${BASE}/v1/accounts/s2/balance/stream`, { headers: { authorization: `Bearer ${SERVER_KEY}` } }));
    expect(other.status).toBe(200);
    await other.body!.cancel();
    first.controller.abort();
    const again = open();
    expect((await again.promise).status).toBe(200);
    second.controller.abort();
    again.controller.abort();
  });
});

describe('rateLimitFrom', () => {
  it('surfaces a failing store as an error, never as a silent pass', async () => {
    const limiter = {
      async consume() {
        throw new Error('store down');
      },
    };
    const identify = createServerKeyIdentify({ secretKey: SERVER_KEY, browser: () => ({ accountId: 'alice' }) });
    const { handler } = makeHandler({ identify, ledger: createMemoryLedger(), rateLimit: rateLimitFrom(limiter) });
    expect((await handler(new Request(`${BASE}/v1/accounts/me/balance`))).status).toBe(500);
  });
});

describe('configuration needed only per request', () => {
  it('createServerKeyIdentify without a key does not throw at construction; a bearer request is told why', async () => {
    const identify = createServerKeyIdentify({ secretKey: process.env.AIVAH_TEST_UNSET_KEY ?? '' });
    const { handler } = makeHandler({ identify });
    const res = await handler(new Request(`${BASE}/v1/packages`, { headers: { authorization: 'Bearer anything' } }));
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { detail: string }).detail).toMatch(/secretKey/);
    expect((await handler(new Request(`${BASE}/v1/packages`))).status).toBe(401);
  });
});
