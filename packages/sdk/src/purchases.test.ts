import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, createCreditsClient, NotFoundError, type Purchase } from './index.js';

const BASE = 'http://credits.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const purchase = (n: number): Purchase => ({
  id: `p${n}`, accountId: 'acct_1', status: 'paid', packageId: 'credits_2000', credits: 2000, creditsReversed: 0, amountTotal: 1000, currency: 'usd',
  grantId: `g${n}`, checkoutSessionId: `cs_${n}`, paymentIntentId: `pi_${n}`, invoiceId: `in_${n}`, receiptUrl: `https://pay.stripe.test/receipts/${n}`,
  createdAt: '2026-11-25T10:00:00.000Z', updatedAt: '2026-11-25T10:00:00.000Z',
});

const problem = (status: number, code: string) =>
  HttpResponse.json({ type: 'about:blank', title: code, status, code, requestId: 'req_1', detail: `${code} detail` }, { status, headers: { 'content-type': 'application/problem+json' } });

describe('client.purchases', () => {
  it('for await walks every purchase across pages, passing each cursor and the limit', async () => {
    const queries: string[] = [];
    const pages: Record<string, { data: Purchase[]; nextCursor: string | null; hasMore: boolean }> = {
      '': { data: [purchase(3), purchase(2)], nextCursor: 'c2', hasMore: true },
      c2: { data: [purchase(1)], nextCursor: null, hasMore: false },
    };
    server.use(
      http.get(`${BASE}/v1/accounts/me/purchases`, ({ request }) => {
        const url = new URL(request.url);
        queries.push(url.search);
        return HttpResponse.json(pages[url.searchParams.get('cursor') ?? '']!);
      }),
    );
    const client = createCreditsClient({ baseUrl: BASE, apiKey: 'sk' });
    const seen: string[] = [];
    for await (const p of client.purchases.list('me', { limit: 2 })) seen.push(p.receiptUrl!);
    expect(seen).toEqual([3, 2, 1].map((n) => `https://pay.stripe.test/receipts/${n}`));
    expect(queries).toEqual(['?limit=2', '?limit=2&cursor=c2']);
  });

  it("rejects another account's purchases with the typed NotFoundError", async () => {
    server.use(http.get(`${BASE}/v1/accounts/acct_other/purchases`, () => problem(404, 'ACCOUNT_NOT_FOUND')));
    const client = createCreditsClient({ baseUrl: BASE, getToken: () => 'session' });
    const error = await client.purchases.page('acct_other').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'ACCOUNT_NOT_FOUND' });
  });
});

describe('client.ledger.exportCsv', () => {
  it('asks for text/csv with the range and resolves with the unread, streamable response', async () => {
    let seen: { accept: string | null; auth: string | null; search: string } | null = null;
    const csv = 'created_at,seq\r\n2026-11-25T10:00:00.000Z,2\r\n2026-11-25T09:00:00.000Z,1\r\n';
    server.use(
      http.get(`${BASE}/v1/accounts/me/ledger/export`, ({ request }) => {
        seen = { accept: request.headers.get('accept'), auth: request.headers.get('authorization'), search: new URL(request.url).search };
        return new HttpResponse(csv, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="ledger-acct_1-2026-11-01-2026-12-01.csv"' } });
      }),
    );
    const client = createCreditsClient({ baseUrl: BASE, apiKey: 'sk_key' });
    const res = await client.ledger.exportCsv('me', { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' });
    expect(seen).toEqual({ accept: 'text/csv', auth: 'Bearer sk_key', search: '?from=2026-11-01T00%3A00%3A00Z&to=2026-12-01T00%3A00%3A00Z' });
    expect(res.bodyUsed).toBe(false);
    expect(res.headers.get('content-disposition')).toContain('ledger-acct_1-2026-11-01-2026-12-01.csv');
    const reader = res.body!.getReader();
    let text = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    expect(text).toBe(csv);
  });

  it('rejects a bad range with the typed BadRequestError, not a CSV body', async () => {
    server.use(http.get(`${BASE}/v1/accounts/me/ledger/export`, () => problem(400, 'VALIDATION_FAILED')));
    const client = createCreditsClient({ baseUrl: BASE, apiKey: 'sk' });
    const error = await client.ledger.exportCsv('me', { from: '2026-12-01T00:00:00Z', to: '2026-11-01T00:00:00Z' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
