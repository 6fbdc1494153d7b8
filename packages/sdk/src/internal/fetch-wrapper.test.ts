import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConflictError,
  CreditsConnectionError,
  CreditsTimeoutError,
  InsufficientCreditsError,
  InternalServerError,
  RateLimitError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from '../errors.js';
import { createCreditsClient } from '../index.js';
import { createRawClient } from '../raw.js';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A fake `fetch` answering from a queue; records what each attempt sent. */
function fakeFetch(answers: Array<Response | Error | (() => Response | Error | Promise<Response>)>) {
  const seen: Seen[] = [];
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    seen.push({ url: String(url), method: init?.method ?? 'GET', headers, body: init?.body == null ? undefined : init.body instanceof ArrayBuffer ? new TextDecoder().decode(init.body) : String(init.body) });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    const a = typeof next === 'function' ? await next() : next;
    if (a instanceof Error) throw a;
    return a;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, seen };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  json({ type: 'about:blank', title: code, status, code, requestId: 'req_1' }, status, headers);
const consumption = { entry: { id: 'e1' }, balance: { available: 5 } };

afterEach(() => {
  vi.useRealTimers();
});

describe('auth and headers', () => {
  it('sends Authorization from apiKey, default headers and JSON body to the encoded path', async () => {
    const { fetch, seen } = fakeFetch([json(consumption, 201)]);
    const client = createCreditsClient({ baseUrl: 'https://api.test/', apiKey: 'sk_1', fetch, headers: { 'X-App': 'a' } });
    await client.consumptions.create('acct 1', { amount: 5, feature: 'conversation' });
    expect(seen[0]!.url).toBe('https://api.test/v1/accounts/acct%201/consumptions');
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.headers.authorization).toBe('Bearer sk_1');
    expect(seen[0]!.headers['x-app']).toBe('a');
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]!.body!)).toEqual({ amount: 5, feature: 'conversation' });
  });

  it('awaits getToken for every call and omits Authorization when it returns null', async () => {
    const tokens = ['t1', null];
    const { fetch, seen } = fakeFetch([json({}), json({})]);
    const client = createCreditsClient({ baseUrl: 'https://api.test', fetch, getToken: async () => tokens.shift() });
    await client.balance.get();
    await client.balance.get();
    expect(seen[0]!.headers.authorization).toBe('Bearer t1');
    expect(seen[1]!.headers.authorization).toBeUndefined();
    expect(seen[0]!.url).toBe('https://api.test/v1/accounts/me/balance');
  });

  it('sends no Idempotency-Key on GET', async () => {
    const { fetch, seen } = fakeFetch([json({})]);
    await createCreditsClient({ baseUrl: 'https://api.test', fetch }).balance.get();
    expect(seen[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('serialises query parameters and skips undefined ones', async () => {
    const { fetch, seen } = fakeFetch([json({ data: [], nextCursor: null, hasMore: false })]);
    await createCreditsClient({ baseUrl: 'https://api.test', fetch }).ledger.page('me', { limit: 10, type: undefined, cursor: 'c/1' });
    expect(seen[0]!.url).toBe('https://api.test/v1/accounts/me/ledger?limit=10&cursor=c%2F1');
  });
});

describe('retries and idempotency', () => {
  it('retries a 500 and reuses the same Idempotency-Key on every attempt', async () => {
    const { fetch, seen } = fakeFetch([problem(500, 'INTERNAL_ERROR', { 'Retry-After': '0' }), problem(503, 'SERVICE_UNAVAILABLE', { 'Retry-After': '0' }), json(consumption, 201)]);
    const client = createCreditsClient({ baseUrl: 'https://api.test', fetch });
    const result = await client.consumptions.create('me', { amount: 5, feature: 'conversation' });
    expect(result.balance.available).toBe(5);
    expect(seen).toHaveLength(3);
    const keys = seen.map((s) => s.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
    expect(new Set(seen.map((s) => s.body)).size).toBe(1);
  });

  it('uses a fresh key for each logical call', async () => {
    const { fetch, seen } = fakeFetch([json(consumption, 201), json(consumption, 201)]);
    const client = createCreditsClient({ baseUrl: 'https://api.test', fetch });
    await client.consumptions.create('me', { amount: 1, feature: 'call' });
    await client.consumptions.create('me', { amount: 1, feature: 'call' });
    expect(seen[0]!.headers['idempotency-key']).not.toBe(seen[1]!.headers['idempotency-key']);
  });

  it('sends the caller-supplied idempotencyKey on every attempt', async () => {
    const { fetch, seen } = fakeFetch([problem(429, 'RATE_LIMITED', { 'Retry-After': '0' }), json({ url: 'https://stripe' }, 201)]);
    const client = createCreditsClient({ baseUrl: 'https://api.test', fetch });
    await client.billingPortal.create('me', undefined, { idempotencyKey: 'my-key-1' });
    expect(seen.map((s) => s.headers['idempotency-key'])).toEqual(['my-key-1', 'my-key-1']);
  });

  it('retries 409 IDEMPOTENCY_KEY_IN_USE but not other 409s', async () => {
    const a = fakeFetch([problem(409, 'IDEMPOTENCY_KEY_IN_USE', { 'Retry-After': '0' }), json(consumption, 201)]);
    await createCreditsClient({ baseUrl: 'https://api.test', fetch: a.fetch }).consumptions.create('me', { amount: 1, feature: 'call' });
    expect(a.seen).toHaveLength(2);

    const b = fakeFetch([problem(409, 'HOLD_NOT_ACTIVE')]);
    const e = await createCreditsClient({ baseUrl: 'https://api.test', fetch: b.fetch }).holds.release('me', 'hold_1').catch((x) => x);
    expect(e).toBeInstanceOf(ConflictError);
    expect(e.code).toBe('HOLD_NOT_ACTIVE');
    expect(b.seen).toHaveLength(1);
  });

  it.each([
    [402, 'INSUFFICIENT_CREDITS', InsufficientCreditsError],
    [422, 'IDEMPOTENCY_KEY_REUSED', UnprocessableEntityError],
  ] as const)('never retries %i', async (status, code, Cls) => {
    const { fetch, seen } = fakeFetch([problem(status, code), json(consumption, 201)]);
    const e = await createCreditsClient({ baseUrl: 'https://api.test', fetch }).consumptions.create('me', { amount: 1, feature: 'call' }).catch((x) => x);
    expect(e).toBeInstanceOf(Cls);
    expect(seen).toHaveLength(1);
  });

  it('gives up after maxRetries and throws the last typed error', async () => {
    const { fetch, seen } = fakeFetch([problem(500, 'INTERNAL_ERROR', { 'Retry-After': '0' }), problem(500, 'INTERNAL_ERROR', { 'Retry-After': '0' })]);
    const e = await createCreditsClient({ baseUrl: 'https://api.test', fetch, maxRetries: 1 }).balance.get().catch((x) => x);
    expect(e).toBeInstanceOf(InternalServerError);
    expect(seen).toHaveLength(2);
  });

  it('honours Retry-After in seconds before retrying', async () => {
    vi.useFakeTimers();
    const { fetch, seen } = fakeFetch([problem(429, 'RATE_LIMITED', { 'Retry-After': '3' }), json({ available: 1 })]);
    const p = createCreditsClient({ baseUrl: 'https://api.test', fetch }).balance.get();
    await vi.advanceTimersByTimeAsync(2900);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(seen).toHaveLength(2);
    await expect(p).resolves.toEqual({ available: 1 });
  });

  it('honours Retry-After as an HTTP date', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const { fetch, seen } = fakeFetch([problem(503, 'SERVICE_UNAVAILABLE', { 'Retry-After': 'Thu, 01 Jan 2026 00:00:05 GMT' }), json({})]);
    const p = createCreditsClient({ baseUrl: 'https://api.test', fetch }).balance.get();
    await vi.advanceTimersByTimeAsync(4900);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    await p;
    expect(seen).toHaveLength(2);
  });

  it('backs off exponentially with jitter without Retry-After (0.5 s, then 1 s, ±25 %)', async () => {
    vi.useFakeTimers();
    const { fetch, seen } = fakeFetch([new TypeError('fetch failed'), new TypeError('fetch failed'), json({})]);
    const p = createCreditsClient({ baseUrl: 'https://api.test', fetch }).balance.get();
    await vi.advanceTimersByTimeAsync(370);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(630 - 370);
    expect(seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1250);
    expect(seen).toHaveLength(3);
    await p;
  });

  it('retries network errors and then throws CreditsConnectionError with the cause', async () => {
    vi.useFakeTimers();
    const cause = new TypeError('fetch failed');
    const { fetch, seen } = fakeFetch([cause, cause]);
    const p = createCreditsClient({ baseUrl: 'https://api.test', fetch, maxRetries: 1 }).balance.get().catch((x) => x);
    await vi.advanceTimersByTimeAsync(1000);
    const e = await p;
    expect(e).toBeInstanceOf(CreditsConnectionError);
    expect(e.type).toBe('connection_error');
    expect(e.cause).toBe(cause);
    expect(seen).toHaveLength(2);
  });
});

/**
 * Runs one call against a server that gives the same answer every time (`maxRetries: 2`, fake timers
 * run through every backoff) and reports how many attempts reached it and what the call threw.
 */
async function attemptsFor(answer: () => Response, call: 'GET' | 'POST' = 'GET') {
  vi.useFakeTimers();
  let attempts = 0;
  const fetch = (async () => {
    attempts++;
    return answer();
  }) as typeof globalThis.fetch;
  const client = createCreditsClient({ baseUrl: 'https://api.test', fetch, maxRetries: 2 });
  const p = (call === 'GET' ? client.balance.get('me') : client.checkout.create('me', { packageId: 'credits_2000' })).catch((e: unknown) => e);
  await vi.advanceTimersByTimeAsync(60_000);
  return { attempts, error: (await p) as Error & { code?: string } };
}

const html = (status: number) => new Response('<html><body>Bad gateway</body></html>', { status, headers: { 'Content-Type': 'text/html' } });

describe('which answers are retried (maxRetries: 2, so 3 attempts when retried)', () => {
  it.each([
    ['408 without a body', 3, () => new Response(null, { status: 408 })],
    ['409 IDEMPOTENCY_KEY_IN_USE', 3, () => problem(409, 'IDEMPOTENCY_KEY_IN_USE')],
    ['409 HOLD_NOT_ACTIVE', 1, () => problem(409, 'HOLD_NOT_ACTIVE')],
    ['429 RATE_LIMITED', 3, () => problem(429, 'RATE_LIMITED')],
    ['429 from a proxy, no problem body', 3, () => new Response('Too Many Requests', { status: 429 })],
    ['429 TOO_MANY_STREAMS', 1, () => problem(429, 'TOO_MANY_STREAMS')],
    ['500 INTERNAL_ERROR', 3, () => problem(500, 'INTERNAL_ERROR')],
    ['502 PAYMENT_PROVIDER_ERROR', 3, () => problem(502, 'PAYMENT_PROVIDER_ERROR')],
    ['503 SERVICE_UNAVAILABLE', 3, () => problem(503, 'SERVICE_UNAVAILABLE', { 'Retry-After': '1' })],
    ['503 PAYMENTS_NOT_CONFIGURED', 1, () => problem(503, 'PAYMENTS_NOT_CONFIGURED')],
    ['502 HTML page from a proxy', 3, () => html(502)],
    ['503 HTML page from a proxy', 3, () => html(503)],
    ['504 without a body', 3, () => new Response(null, { status: 504 })],
    ['500 HTML page (a framework error page, not the API)', 1, () => html(500)],
    ['501 without a body', 1, () => new Response(null, { status: 501 })],
    ['500 with a code this SDK does not know', 1, () => problem(500, 'SOMETHING_NEW')],
    ['400 IDEMPOTENCY_KEY_MISSING', 1, () => problem(400, 'IDEMPOTENCY_KEY_MISSING')],
  ] as const)('%s: %i attempt(s)', async (_name, expected, answer) => {
    const { attempts, error } = await attemptsFor(answer);
    expect(attempts).toBe(expected);
    expect(error).toBeInstanceOf(Error);
  });

  it('reads the parsed problem code: a 409 whose text merely mentions IDEMPOTENCY_KEY_IN_USE is not retried', async () => {
    const mentions = () =>
      json({ type: 'about:blank', title: 'Hold not active', status: 409, code: 'HOLD_NOT_ACTIVE', requestId: 'r', detail: 'not IDEMPOTENCY_KEY_IN_USE' }, 409);
    expect((await attemptsFor(mentions)).attempts).toBe(1);
    const text = () => new Response('IDEMPOTENCY_KEY_IN_USE', { status: 409 });
    const { attempts, error } = await attemptsFor(text);
    expect(attempts).toBe(1);
    expect(error).toBeInstanceOf(ConflictError);
  });

  it('a POST answered 503 PAYMENTS_NOT_CONFIGURED is sent once, and throws ServiceUnavailableError at once', async () => {
    const { attempts, error } = await attemptsFor(() => problem(503, 'PAYMENTS_NOT_CONFIGURED'), 'POST');
    expect(attempts).toBe(1);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.code).toBe('PAYMENTS_NOT_CONFIGURED');
  });

  it('429 TOO_MANY_STREAMS throws RateLimitError with its code at once', async () => {
    const { error } = await attemptsFor(() => problem(429, 'TOO_MANY_STREAMS', { 'Retry-After': '5' }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.code).toBe('TOO_MANY_STREAMS');
  });

  it('waits Retry-After before each retry of 503 SERVICE_UNAVAILABLE, then throws ServiceUnavailableError with retryAfter', async () => {
    vi.useFakeTimers();
    const { fetch, seen } = fakeFetch([
      problem(503, 'SERVICE_UNAVAILABLE', { 'Retry-After': '4' }),
      problem(503, 'SERVICE_UNAVAILABLE', { 'Retry-After': '4' }),
      problem(503, 'SERVICE_UNAVAILABLE', { 'Retry-After': '4' }),
    ]);
    const p = createCreditsClient({ baseUrl: 'https://api.test', fetch }).consumptions.create('me', { amount: 1, feature: 'call' }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(3900);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(4000);
    expect(seen).toHaveLength(3);
    const e = await p;
    expect(e).toBeInstanceOf(ServiceUnavailableError);
    expect(e.retryAfter).toBe(4);
    expect(new Set(seen.map((s) => s.headers['idempotency-key'])).size).toBe(1);
  });
});

/** A fetch that never answers until its signal aborts, like a hung server. */
const hangingFetch = ((_url: string | URL | Request, init?: RequestInit) =>
  new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))) as typeof fetch;

describe('timeouts and aborts', () => {
  it('rejects with CreditsTimeoutError after timeoutMs', async () => {
    const client = createCreditsClient({ baseUrl: 'https://api.test', fetch: hangingFetch, timeoutMs: 20, maxRetries: 0 });
    const e = await client.balance.get().catch((x) => x);
    expect(e).toBeInstanceOf(CreditsTimeoutError);
    expect(e.type).toBe('timeout_error');
  });

  it('per-call timeoutMs overrides the client default', async () => {
    const client = createCreditsClient({ baseUrl: 'https://api.test', fetch: hangingFetch, timeoutMs: 60_000 });
    const e = await client.balance.get('me', { timeoutMs: 10, maxRetries: 0 }).catch((x) => x);
    expect(e).toBeInstanceOf(CreditsTimeoutError);
  });

  it('a caller abort rejects with the standard AbortError and is not retried', async () => {
    const fetch = vi.fn(hangingFetch);
    const client = createCreditsClient({ baseUrl: 'https://api.test', fetch });
    const controller = new AbortController();
    const p = client.consumptions.create('me', { amount: 1, feature: 'call' }, { signal: controller.signal }).catch((x) => x);
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const e = await p;
    expect(e).toBeInstanceOf(DOMException);
    expect(e.name).toBe('AbortError');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('an already-aborted signal rejects without a request', async () => {
    const { fetch, seen } = fakeFetch([json({})]);
    const e = await createCreditsClient({ baseUrl: 'https://api.test', fetch }).balance.get('me', { signal: AbortSignal.abort() }).catch((x) => x);
    expect(e.name).toBe('AbortError');
    expect(seen).toHaveLength(0);
  });

  it('an abort during the backoff wait stops the retries', async () => {
    const { fetch, seen } = fakeFetch([problem(500, 'INTERNAL_ERROR', { 'Retry-After': '30' }), json({})]);
    const controller = new AbortController();
    const p = createCreditsClient({ baseUrl: 'https://api.test', fetch }).balance.get('me', { signal: controller.signal }).catch((x) => x);
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect((await p).name).toBe('AbortError');
    expect(seen).toHaveLength(1);
  });
});

describe('the raw client (@aivah/credits/raw)', () => {
  it('goes through the same transport: auth, a generated idempotency key reused on retry, typed errors', async () => {
    const { fetch, seen } = fakeFetch([problem(500, 'INTERNAL_ERROR', { 'Retry-After': '0' }), json({ grantId: 'g1' }, 201), problem(402, 'INSUFFICIENT_CREDITS')]);
    const raw = createRawClient({ baseUrl: 'https://api.test', apiKey: 'sk_raw', fetch });
    const { data } = await raw.POST('/v1/accounts/{accountId}/grants', {
      params: { path: { accountId: 'acct_1' } },
      body: { amount: 10, source: 'promo' },
    });
    expect(data).toEqual({ grantId: 'g1' });
    expect(seen[0]!.headers.authorization).toBe('Bearer sk_raw');
    expect(seen[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]!.headers['idempotency-key']).toBe(seen[0]!.headers['idempotency-key']);
    expect(JSON.parse(seen[1]!.body!)).toEqual({ amount: 10, source: 'promo' });
    await expect(
      raw.POST('/v1/accounts/{accountId}/consumptions', { params: { path: { accountId: 'me' } }, body: { amount: 1, feature: 'call' } }),
    ).rejects.toBeInstanceOf(InsufficientCreditsError);
    expect(seen[2]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[2]!.headers['idempotency-key']).not.toBe(seen[0]!.headers['idempotency-key']);
  });

  it('sends a key given in params.header or as the idempotencyKey init key', async () => {
    const { fetch, seen } = fakeFetch([json({}, 201), json({}, 201)]);
    const raw = createRawClient({ baseUrl: 'https://api.test/', fetch });
    await raw.POST('/v1/accounts/{accountId}/holds/{holdId}/release', {
      params: { path: { accountId: 'me', holdId: 'hold_1' }, header: { 'Idempotency-Key': 'release-1' } },
    });
    await raw.POST('/v1/accounts/{accountId}/holds/{holdId}/release', { params: { path: { accountId: 'me', holdId: 'hold_1' } }, idempotencyKey: 'release-2' });
    expect(seen.map((s) => [s.url, s.headers['idempotency-key']])).toEqual([
      ['https://api.test/v1/accounts/me/holds/hold_1/release', 'release-1'],
      ['https://api.test/v1/accounts/me/holds/hold_1/release', 'release-2'],
    ]);
  });
});

describe('timeoutMs: 0', () => {
  it('hands fetch no signal unless the caller passes one', async () => {
    const { fetch } = fakeFetch([json({}), json({})]);
    const client = createCreditsClient({ baseUrl: 'https://api.test', fetch, timeoutMs: 0 });
    await client.balance.get();
    expect(vi.mocked(fetch).mock.calls[0]![1]!.signal).toBeUndefined();
    const controller = new AbortController();
    await client.balance.get('me', { signal: controller.signal });
    expect(vi.mocked(fetch).mock.calls[1]![1]!.signal).toBe(controller.signal);
  });
});

describe('reading the body', () => {
  it('a caller abort while the body streams in rejects with AbortError; a cut-off body with CreditsConnectionError', async () => {
    const stalledBody = (signal?: AbortSignal | null) =>
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"available":'));
          signal?.addEventListener('abort', () => c.error(signal.reason));
        },
      });
    const fetch = vi.fn(async (_u: unknown, init?: RequestInit) => new Response(stalledBody(init?.signal), { status: 200 })) as unknown as typeof globalThis.fetch;
    const controller = new AbortController();
    const p = createCreditsClient({ baseUrl: 'https://api.test', fetch }).balance.get('me', { signal: controller.signal }).catch((x) => x);
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect((await p).name).toBe('AbortError');

    const broken = vi.fn(async () =>
      new Response(new ReadableStream({ start: (c) => c.error(new TypeError('terminated')) }), { status: 200 }),
    ) as unknown as typeof globalThis.fetch;
    const e = await createCreditsClient({ baseUrl: 'https://api.test', fetch: broken }).balance.get().catch((x) => x);
    expect(e).toBeInstanceOf(CreditsConnectionError);
  });
});
