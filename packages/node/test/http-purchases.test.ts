import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { toNodeHandler } from '../src/http/adapters/node.js';
import { createMemoryLedger } from '../src/ledger/memory.js';
import type { LedgerAdapter } from '../src/ledger/adapter.js';
import { BASE, call, makeHandler, req } from './http-helpers.js';

/** Credits a checkout purchase straight in the ledger, as fulfilment does. */
async function buy(ledger: LedgerAdapter, accountId: string, n: number) {
  const checkoutSessionId = `cs_test_${accountId}_${n}`;
  await ledger.grant({
    accountId, amount: 2000, source: 'purchase', idempotencyKey: `purchase:${checkoutSessionId}`, requestHash: checkoutSessionId,
    purchase: { checkoutSessionId, paymentIntentId: `pi_${accountId}_${n}`, packageId: 'credits_2000', amountTotal: 1000, currency: 'usd' },
  });
  return checkoutSessionId;
}

/** Parses the RFC 4180 text the export writes (quoted cells, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  if (cell || row.length) throw new Error(`CSV does not end with CRLF: ${JSON.stringify(text.slice(-40))}`);
  return rows;
}

describe('listPurchases', () => {
  it('pages purchases newest first with a cursor, and a browser sees only its own', async () => {
    const { handler, ledger } = makeHandler();
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push(await buy(ledger, 'buyer', i));
    await buy(ledger, 'someone_else', 0);
    const first = await call(handler, '/v1/accounts/me/purchases?limit=2', { auth: 'Session buyer' });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ hasMore: true });
    expect(first.json.data[0]).toMatchObject({ accountId: 'buyer', status: 'paid', packageId: 'credits_2000', credits: 2000, amountTotal: 1000, currency: 'usd', receiptUrl: null });
    const seen = [...first.json.data];
    let cursor = first.json.nextCursor;
    while (cursor) {
      const page = await call(handler, `/v1/accounts/me/purchases?limit=2&cursor=${cursor}`, { auth: 'Session buyer' });
      seen.push(...page.json.data);
      cursor = page.json.nextCursor;
    }
    expect(seen.map((p) => p.checkoutSessionId)).toEqual(mine.reverse());
    const server = await call(handler, '/v1/accounts/someone_else/purchases');
    expect(server.json.data.map((p: { accountId: string }) => p.accountId)).toEqual(['someone_else']);
  });

  it("answers another account's purchases with 404 ACCOUNT_NOT_FOUND problem+json, like a missing account", async () => {
    const { handler, ledger } = makeHandler();
    await buy(ledger, 'victim', 0);
    const res = await handler(req('/v1/accounts/victim/purchases', { auth: 'Session attacker' }));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await res.json();
    expect(body).toMatchObject({ code: 'ACCOUNT_NOT_FOUND', status: 404 });
    expect(JSON.stringify(body)).not.toContain('cs_test_victim');
    expect((await call(handler, '/v1/accounts/victim/purchases', { auth: null })).json.code).toBe('UNAUTHENTICATED');
    expect((await call(handler, '/v1/accounts/me/purchases?limit=101', { auth: 'Session attacker' })).json).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await call(handler, '/v1/accounts/me/purchases?cursor=bogus', { auth: 'Session attacker' })).json).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });
});

describe('exportLedgerEntries (CSV)', () => {
  it('escapes commas, quotes and line breaks, and guards cells a spreadsheet would run as formulas', async () => {
    const { handler, ledger } = makeHandler();
    await ledger.grant({
      accountId: 'csv', amount: 100, source: 'promo', idempotencyKey: 'g1', requestHash: 'g1',
      description: '=HYPERLINK("http://evil.example","click"), then\nmore',
      metadata: { note: '@SUM(1,2)', plain: 'ok' },
    });
    await ledger.consume({ accountId: 'csv', amount: 7, feature: 'conversation', description: '-2+3', idempotencyKey: 'c1', requestHash: 'c1' });
    await ledger.consume({ accountId: 'csv', amount: 1, feature: 'call', description: ' padded ', idempotencyKey: 'c2', requestHash: 'c2' });
    const res = await handler(req('/v1/accounts/csv/ledger/export'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="ledger-csv-start-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await res.text();
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['created_at', 'seq', 'entry_id', 'type', 'amount', 'balance_after', 'feature', 'source', 'grant_id', 'hold_id', 'description', 'metadata']);
    expect(rows.slice(1).map((r) => [r[1], r[3], r[4], r[5], r[6], r[7], r[10]])).toEqual([
      ['3', 'consume', '-1', '92', 'call', '', ' padded '],
      ['2', 'consume', '-7', '93', 'conversation', '', "'-2+3"],
      ['1', 'grant', '100', '100', '', 'promo', '\'=HYPERLINK("http://evil.example","click"), then\nmore'],
    ]);
    // Negative amounts are numbers, never prefixed; JSON metadata is one quoted cell.
    expect(text).toContain(',-7,93,');
    expect(JSON.parse(rows[3]![11]!)).toEqual({ note: '@SUM(1,2)', plain: 'ok' });
    const entries = (await ledger.listEntries({ accountId: 'csv' })).data;
    expect(rows.slice(1).map((r) => [r[0], r[2]])).toEqual(entries.map((e) => [e.createdAt, e.id]));
  });

  it('exports by default every entry written before the export, even one written in the same millisecond', async () => {
    const frozen = () => new Date('2026-11-01T12:00:00.000Z');
    const { handler, ledger } = makeHandler({ ledger: createMemoryLedger({ now: frozen }), now: frozen });
    await ledger.grant({ accountId: 'same-ms', amount: 10, source: 'promo', idempotencyKey: 'g', requestHash: 'g' });
    await ledger.consume({ accountId: 'same-ms', amount: 3, feature: 'call', idempotencyKey: 'c', requestHash: 'c' });
    const rows = parseCsv(await (await handler(req('/v1/accounts/same-ms/ledger/export'))).text()).slice(1);
    expect(rows.map((r) => [r[1], r[3]])).toEqual([['2', 'consume'], ['1', 'grant']]);
  });

  it('exports (and lists) only the entries of [from, to), and refuses a reversed or unparseable range with 400 problem+json', async () => {
    let now = Date.parse('2026-11-01T00:00:00.000Z');
    const clock = () => new Date(now);
    const { handler, ledger } = makeHandler({ ledger: createMemoryLedger({ now: clock }), now: clock });
    await ledger.grant({ accountId: 'range', amount: 100, source: 'promo', idempotencyKey: 'g', requestHash: 'g' });
    for (let day = 1; day <= 5; day++) {
      now += 86_400_000; // one consume a day: Nov 2 … Nov 6
      await ledger.consume({ accountId: 'range', amount: day, feature: 'conversation', idempotencyKey: `d${day}`, requestHash: `d${day}` });
    }
    now += 60_000; // `to` defaults to now, which is exclusive
    const csv = async (query: string) => parseCsv(await (await handler(req(`/v1/accounts/range/ledger/export?${query}`))).text()).slice(1);
    expect((await csv('from=2026-11-03T00:00:00Z&to=2026-11-05T00:00:00Z')).map((r) => r[4])).toEqual(['-3', '-2']);
    expect((await csv('from=2026-11-05T00:00:00Z')).map((r) => r[4])).toEqual(['-5', '-4']);
    expect((await csv('to=2026-11-02T00:00:00Z')).map((r) => r[3])).toEqual(['grant']);
    expect(await csv('from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z')).toEqual([]);
    const named = await handler(req('/v1/accounts/range/ledger/export?from=2026-11-03T00:00:00Z&to=2026-11-05T00:00:00Z'));
    expect(named.headers.get('content-disposition')).toBe('attachment; filename="ledger-range-2026-11-03-2026-11-05.csv"');

    for (const bad of ['from=2026-11-05T00:00:00Z&to=2026-11-03T00:00:00Z', 'from=2026-11-05T00:00:00Z&to=2026-11-05T00:00:00Z', 'from=2027-01-01T00:00:00Z', 'from=yesterday', 'to=2026-13-45']) {
      const res = await handler(req(`/v1/accounts/range/ledger/export?${bad}`));
      expect(res.status, bad).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect((await res.json()).code).toBe('VALIDATION_FAILED');
    }
    // The JSON list takes the same range.
    const listed = await call(handler, '/v1/accounts/range/ledger?from=2026-11-03T00:00:00Z&to=2026-11-05T00:00:00Z&limit=1');
    expect(listed.json.data.map((e: { amount: number }) => e.amount)).toEqual([-3]);
    const older = await call(handler, `/v1/accounts/range/ledger?from=2026-11-03T00:00:00Z&to=2026-11-05T00:00:00Z&cursor=${listed.json.nextCursor}`);
    expect(older.json).toMatchObject({ hasMore: false, data: [{ amount: -2 }] });
    expect((await call(handler, '/v1/accounts/range/ledger?from=2026-11-05T00:00:00Z&to=2026-11-03T00:00:00Z')).json).toMatchObject({
      status: 400, code: 'VALIDATION_FAILED', errors: [{ path: 'query/from' }],
    });

    const other = await handler(req('/v1/accounts/range/ledger/export', { auth: 'Session intruder' }));
    expect(other.status).toBe(404);
    expect((await other.json()).code).toBe('ACCOUNT_NOT_FOUND');
  });

  it('streams a 20,000-entry ledger one page per read instead of buffering it', async () => {
    const inner = createMemoryLedger();
    let pagesRead = 0;
    const ledger: LedgerAdapter = { ...inner, listEntries: (input) => (pagesRead++, inner.listEntries(input)) };
    await inner.grant({ accountId: 'big', amount: 1_000_000, source: 'promo', idempotencyKey: 'g', requestHash: 'g' });
    for (let i = 0; i < 19_999; i++) await inner.consume({ accountId: 'big', amount: 1, feature: 'conversation', idempotencyKey: `c${i}`, requestHash: 'c' });
    const { handler } = makeHandler({ ledger });
    const res = await handler(req('/v1/accounts/big/ledger/export'));
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    // Answered after one page: the rest of the ledger has not been read.
    expect(pagesRead).toBeLessThanOrEqual(2);
    let text = decoder.decode(first.value, { stream: true });
    let chunks = 1;
    let largest = first.value!.byteLength;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      largest = Math.max(largest, value.byteLength);
      // Each read pulls at most one more page from the ledger.
      expect(pagesRead).toBeLessThanOrEqual(chunks + 1);
      text += decoder.decode(value, { stream: true });
    }
    const rows = parseCsv(text);
    expect(rows).toHaveLength(20_001);
    expect(rows.slice(1).map((r) => Number(r[1]))).toEqual(Array.from({ length: 20_000 }, (_, i) => 20_000 - i));
    expect(pagesRead).toBe(100);
    expect(chunks).toBe(100);
    expect(largest).toBeLessThan(64 * 1024);
  });

  it('is written by the node adapter as a chunked stream, not buffered into one Content-Length answer', async () => {
    const inner = createMemoryLedger();
    await inner.grant({ accountId: 'node', amount: 100_000, source: 'promo', idempotencyKey: 'g', requestHash: 'g' });
    for (let i = 0; i < 5_999; i++) await inner.consume({ accountId: 'node', amount: 1, feature: 'call', idempotencyKey: `c${i}`, requestHash: 'c' });
    const { handler } = makeHandler({ ledger: inner });
    const server = createServer(toNodeHandler(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/accounts/node/ledger/export`;
      const res = await fetch(url, { headers: { authorization: 'Bearer sk_test_server' } });
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-length')).toBeNull();
      expect(res.headers.get('transfer-encoding')).toBe('chunked');
      const lines = (await res.text()).split('\r\n');
      expect(lines).toHaveLength(6_002); // header, 6,000 entries, and the empty string after the last CRLF
      expect(lines[1]).toMatch(/^\S+,6000,/);
      expect(lines[6_000]).toMatch(/^\S+,1,.*,grant,100000,100000,/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
