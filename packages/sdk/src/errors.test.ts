import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  CreditsAPIError,
  CreditsError,
  InsufficientCreditsError,
  InternalServerError,
  isCreditsError,
  isInsufficientCreditsError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from './errors.js';
import { createCreditsClient, errorFromResponse } from './index.js';

const BASE = 'http://credits.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = createCreditsClient({ baseUrl: BASE, apiKey: 'sk_test', maxRetries: 0 });
const consume = () => client.consumptions.create('me', { amount: 50, feature: 'conversation' });

function problem(status: number, code: string, extra: Record<string, unknown> = {}) {
  return HttpResponse.json(
    { type: `https://docs.aivah.dev/errors/${code.toLowerCase()}`, title: 'Oops', status, code, detail: `detail ${code}`, requestId: 'req_body', ...extra },
    { status, headers: { 'Content-Type': 'application/problem+json', 'X-Request-Id': 'req_header' } },
  );
}

async function rejection(p: Promise<unknown>): Promise<CreditsAPIError> {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CreditsAPIError);
  return e as CreditsAPIError;
}

describe('error mapping', () => {
  it.each([
    [400, 'VALIDATION_FAILED', BadRequestError, 'bad_request_error'],
    [401, 'UNAUTHENTICATED', AuthenticationError, 'authentication_error'],
    [403, 'FORBIDDEN', PermissionDeniedError, 'permission_denied_error'],
    [404, 'ACCOUNT_NOT_FOUND', NotFoundError, 'not_found_error'],
    [409, 'HOLD_NOT_ACTIVE', ConflictError, 'conflict_error'],
    [422, 'IDEMPOTENCY_KEY_REUSED', UnprocessableEntityError, 'unprocessable_entity_error'],
    [429, 'RATE_LIMITED', RateLimitError, 'rate_limit_error'],
    [500, 'INTERNAL_ERROR', InternalServerError, 'internal_server_error'],
    [502, 'PAYMENT_PROVIDER_ERROR', InternalServerError, 'internal_server_error'],
    [503, 'PAYMENTS_NOT_CONFIGURED', ServiceUnavailableError, 'service_unavailable_error'],
    [503, 'SERVICE_UNAVAILABLE', ServiceUnavailableError, 'service_unavailable_error'],
  ] as const)('maps %i %s to its class with code, requestId and problem', async (status, code, Cls, type) => {
    server.use(http.post(`${BASE}/v1/accounts/me/consumptions`, () => problem(status, code, { errors: [{ path: '/amount', message: 'bad' }] })));
    const e = await rejection(consume());
    expect(e).toBeInstanceOf(Cls);
    expect(e).toBeInstanceOf(CreditsError);
    expect(e.type).toBe(type);
    expect(e.status).toBe(status);
    expect(e.code).toBe(code);
    expect(e.requestId).toBe('req_header');
    expect(e.problem.detail).toBe(`detail ${code}`);
    expect(e.problem.errors).toEqual([{ path: '/amount', message: 'bad' }]);
    expect(e.headers.get('x-request-id')).toBe('req_header');
    expect(e.message).toContain(code);
  });

  it('maps 402 to InsufficientCreditsError with available and required', async () => {
    server.use(http.post(`${BASE}/v1/accounts/me/consumptions`, () => problem(402, 'INSUFFICIENT_CREDITS', { available: 12, required: 50 })));
    const e = await rejection(consume());
    expect(e).toBeInstanceOf(InsufficientCreditsError);
    expect(isInsufficientCreditsError(e)).toBe(true);
    expect((e as InsufficientCreditsError).available).toBe(12);
    expect((e as InsufficientCreditsError).required).toBe(50);
    expect(e.code).toBe('INSUFFICIENT_CREDITS');
  });

  it('takes requestId from the problem body when the header is missing', async () => {
    server.use(
      http.get(`${BASE}/v1/accounts/me/balance`, () =>
        HttpResponse.json({ type: 'x', title: 't', status: 404, code: 'ACCOUNT_NOT_FOUND', requestId: 'req_only_body' }, { status: 404 }),
      ),
    );
    const e = await rejection(client.balance.get());
    expect(e.requestId).toBe('req_only_body');
  });

  it('reads RateLimitError.retryAfter from Retry-After', async () => {
    server.use(
      http.get(`${BASE}/v1/packages`, () =>
        HttpResponse.json({ code: 'RATE_LIMITED' }, { status: 429, headers: { 'Retry-After': '7' } }),
      ),
    );
    const e = await rejection(client.packages.list());
    expect(e).toBeInstanceOf(RateLimitError);
    expect((e as RateLimitError).retryAfter).toBe(7);
  });

  it('maps 503 to ServiceUnavailableError, an InternalServerError, with retryAfter from Retry-After', async () => {
    server.use(
      http.get(`${BASE}/v1/packages`, () =>
        HttpResponse.json({ code: 'SERVICE_UNAVAILABLE' }, { status: 503, headers: { 'Retry-After': '3' } }),
      ),
    );
    const e = await rejection(client.packages.list());
    expect(e).toBeInstanceOf(ServiceUnavailableError);
    expect(e).toBeInstanceOf(InternalServerError);
    expect((e as ServiceUnavailableError).retryAfter).toBe(3);
  });

  it('isInsufficientCreditsError recognises a 402 from another copy of the SDK by its brand and type', () => {
    const foreign = Object.assign(new Error('x'), { type: 'insufficient_credits_error', [Symbol.for('aivah.credits.error')]: true });
    expect(isInsufficientCreditsError(foreign)).toBe(true);
    expect(isCreditsError(foreign)).toBe(true);
    expect(isInsufficientCreditsError(Object.assign(new Error('x'), { type: 'insufficient_credits_error' }))).toBe(false);
    expect(isInsufficientCreditsError(null)).toBe(false);
  });
});

describe('malformed server responses', () => {
  it('an HTML 500 page still yields InternalServerError with a derived code', async () => {
    server.use(
      http.get(`${BASE}/v1/accounts/me/balance`, () =>
        new HttpResponse('<html><body>Bad Gateway</body></html>', { status: 500, headers: { 'Content-Type': 'text/html', 'X-Request-Id': 'req_html' } }),
      ),
    );
    const e = await rejection(client.balance.get());
    expect(e).toBeInstanceOf(InternalServerError);
    expect(e.code).toBe('INTERNAL_ERROR');
    expect(e.requestId).toBe('req_html');
    expect(e.problem.detail).toContain('Bad Gateway');
  });

  it('an empty error body yields the typed error for its status', async () => {
    server.use(http.post(`${BASE}/v1/accounts/me/consumptions`, () => new HttpResponse(null, { status: 402 })));
    const e = await rejection(consume());
    expect(e).toBeInstanceOf(InsufficientCreditsError);
    expect(e.code).toBe('INSUFFICIENT_CREDITS');
    expect(e.requestId).toBeUndefined();
  });

  it('a JSON error body that is not a problem yields code UNKNOWN', async () => {
    server.use(http.post(`${BASE}/v1/accounts/me/consumptions`, () => HttpResponse.json(['nope'], { status: 422 })));
    const e = await rejection(consume());
    expect(e).toBeInstanceOf(UnprocessableEntityError);
    expect(e.code).toBe('UNKNOWN');
  });

  it('an unlisted status maps to the CreditsAPIError base class', async () => {
    server.use(http.post(`${BASE}/v1/accounts/me/consumptions`, () => problem(413, 'PAYLOAD_TOO_LARGE')));
    const e = await rejection(consume());
    expect(e.constructor).toBe(CreditsAPIError);
    expect(e.type).toBe('api_error');
    expect(e.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('invalid JSON in a 200 body rejects with CreditsAPIError INVALID_RESPONSE', async () => {
    server.use(
      http.get(`${BASE}/v1/accounts/me/balance`, () =>
        new HttpResponse('{"available": 23', { status: 200, headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req_bad' } }),
      ),
    );
    const e = await rejection(client.balance.get());
    expect(e.status).toBe(200);
    expect(e.code).toBe('INVALID_RESPONSE');
    expect(e.requestId).toBe('req_bad');
  });

  it('an empty 200 body rejects with CreditsAPIError INVALID_RESPONSE', async () => {
    server.use(http.get(`${BASE}/v1/packages`, () => new HttpResponse('', { status: 200 })));
    const e = await rejection(client.packages.list());
    expect(e.code).toBe('INVALID_RESPONSE');
  });

  it('a 200 body that is JSON but not an object (every answer of the spec is one) rejects with INVALID_RESPONSE', async () => {
    server.use(http.get(`${BASE}/v1/accounts/me/balance`, () => HttpResponse.json(null)));
    const e = await rejection(client.balance.get());
    expect(e.code).toBe('INVALID_RESPONSE');
    expect(e.problem.detail).toBe('The 200 response body is not a JSON object.');
  });
});

describe('errorFromResponse', () => {
  it('maps an app endpoint passing a 402 problem through to InsufficientCreditsError', async () => {
    const body = { type: 'about:blank', title: 'Insufficient credits', status: 402, code: 'INSUFFICIENT_CREDITS', requestId: 'req_1', available: 3, required: 5 };
    const error = await errorFromResponse(new Response(JSON.stringify(body), { status: 402, headers: { 'content-type': 'application/problem+json' } }));
    expect(error).toBeInstanceOf(InsufficientCreditsError);
    expect(isInsufficientCreditsError(error)).toBe(true);
    expect((error as InsufficientCreditsError).available).toBe(3);
    expect((error as InsufficientCreditsError).required).toBe(5);
  });

  it('maps a non-JSON error page to the typed error of its status', async () => {
    const error = await errorFromResponse(new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(502);
    const unavailable = await errorFromResponse(new Response('<html>Service Unavailable</html>', { status: 503 }));
    expect(unavailable).toBeInstanceOf(ServiceUnavailableError);
    expect(unavailable.code).toBe('SERVICE_UNAVAILABLE');
  });
});
