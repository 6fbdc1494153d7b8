import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCreditsClient } from '../index.js';

const BASE = 'http://credits.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const entry = (seq: number) => ({ id: `e${seq}`, seq, type: 'consume', amount: -1 });
const PAGES: Record<string, { data: unknown[]; nextCursor: string | null; hasMore: boolean }> = {
  '': { data: [entry(6), entry(5)], nextCursor: 'c2', hasMore: true },
  c2: { data: [entry(4), entry(3)], nextCursor: 'c3', hasMore: true },
  c3: { data: [entry(2), entry(1)], nextCursor: null, hasMore: false },
};

describe('ledger pagination', () => {
  it('for await walks every entry across three pages, passing each cursor and the filters', async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${BASE}/v1/accounts/:accountId/ledger`, ({ request }) => {
        const url = new URL(request.url);
        queries.push(url.search);
        return HttpResponse.json(PAGES[url.searchParams.get('cursor') ?? '']);
      }),
    );
    const client = createCreditsClient({ baseUrl: BASE, apiKey: 'sk' });
    const seqs: number[] = [];
    for await (const e of client.ledger.list('me', { limit: 2, type: 'consume' })) seqs.push(e.seq);
    expect(seqs).toEqual([6, 5, 4, 3, 2, 1]);
    expect(queries).toEqual(['?limit=2&type=consume', '?limit=2&type=consume&cursor=c2', '?limit=2&type=consume&cursor=c3']);
  });

  it('await gives the first page only, and the request is made once even when also iterated', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/accounts/me/ledger`, ({ request }) => {
        calls++;
        return HttpResponse.json(PAGES[new URL(request.url).searchParams.get('cursor') ?? '']);
      }),
    );
    const list = createCreditsClient({ baseUrl: BASE }).ledger.list('me');
    const first = await list;
    expect(first).toEqual(PAGES['']);
    expect(calls).toBe(1);
    let n = 0;
    for await (const _ of list) n++;
    expect(n).toBe(6);
    expect(calls).toBe(3);
  });

  it('is lazy: no request until awaited or iterated', async () => {
    let calls = 0;
    server.use(http.get(`${BASE}/v1/accounts/me/ledger`, () => (calls++, HttpResponse.json(PAGES['c3']))));
    createCreditsClient({ baseUrl: BASE }).ledger.list('me');
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toBe(0);
  });
});
