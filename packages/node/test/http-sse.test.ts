import { describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { BASE, SERVER_KEY, grant, makeHandler } from './http-helpers.js';

function open(handler: (r: Request) => Promise<Response>, accountId: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const promise = handler(new Request(`${BASE}/v1/accounts/${accountId}/balance/stream`, { headers: { authorization: `Bearer ${SERVER_KEY}`, ...headers }, signal: controller.signal }));
  return { controller, promise };
}

async function reader(res: Response) {
  const r = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    get text() {
      return text;
    },
    async until(predicate: (t: string) => boolean, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(text)) {
        if (Date.now() > deadline) throw new Error(`timeout; got ${text}`);
        const { value, done } = await r.read();
        if (done) throw new Error('ended');
        text += decoder.decode(value);
      }
    },
    cancel: () => r.cancel(),
  };
}

describe('streamBalance (SSE)', () => {
  it('sends the current balance with id = version, then every change', async () => {
    const { handler } = makeHandler();
    await grant(handler, 'sse1', 50);
    const { promise, controller } = open(handler, 'sse1');
    const res = await promise;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const stream = await reader(res);
    await stream.until((t) => t.includes('event: balance'));
    expect(stream.text).toMatch(/id: 1\nevent: balance\ndata: \{.*"available":50/);
    await handler(new Request(`${BASE}/v1/accounts/sse1/consumptions`, { method: 'POST', headers: { authorization: `Bearer ${SERVER_KEY}`, 'content-type': 'application/json', 'idempotency-key': 'sse1-consume' }, body: '{"amount":5,"feature":"call"}' }));
    await stream.until((t) => t.includes('"available":45'));
    expect(stream.text).toMatch(/id: 2\nevent: balance/);
    controller.abort();
  });

  it('skips the first event when Last-Event-ID equals the current version', async () => {
    const { handler } = makeHandler();
    await grant(handler, 'sse2', 10);
    const { promise, controller } = open(handler, 'sse2', { 'last-event-id': '1' });
    const stream = await reader(await promise);
    await stream.until((t) => t.includes('retry:'));
    await new Promise((r) => setTimeout(r, 30));
    await grant(handler, 'sse2', 5);
    await stream.until((t) => t.includes('"available":15'));
    expect(stream.text).not.toContain('"available":10');
    controller.abort();
  });

  it('sends a zero balance (version 0) for an account without grants', async () => {
    const { handler } = makeHandler();
    const { promise, controller } = open(handler, 'fresh');
    const stream = await reader(await promise);
    await stream.until((t) => t.includes('id: 0\nevent: balance'));
    controller.abort();
  });

  it('sends heartbeats', async () => {
    const { handler } = makeHandler({ heartbeatMs: 20 });
    const { promise, controller } = open(handler, 'hb');
    const stream = await reader(await promise);
    await stream.until((t) => t.includes(': heartbeat\n\n'));
    controller.abort();
  });

  it('uses one ledger subscription for N streams and leaks no listener after abort or cancel', async () => {
    const ledger = createMemoryLedger();
    let subscriptions = 0;
    const original = ledger.onBalanceChange.bind(ledger);
    ledger.onBalanceChange = (listener) => {
      subscriptions++;
      const off = original(listener);
      return () => {
        subscriptions--;
        off();
      };
    };
    const { handler } = makeHandler({ ledger, maxStreamsPerIdentity: 20 });
    await grant(handler, 'fan', 10);
    const streams = await Promise.all(Array.from({ length: 20 }, (_, i) => open(handler, i % 2 ? 'fan' : 'fan2')).map(async (s) => ({ ...s, stream: await reader(await s.promise) })));
    await Promise.all(streams.map((s) => s.stream.until((t) => t.includes('event: balance'))));
    expect(subscriptions).toBe(1);
    expect(handler.openStreams).toBe(20);
    await grant(handler, 'fan', 1);
    await Promise.all(streams.filter((_, i) => i % 2).map((s) => s.stream.until((t) => t.includes('"available":11'))));
    streams.slice(0, 10).forEach((s) => s.controller.abort());
    await Promise.all(streams.slice(10).map((s) => s.stream.cancel()));
    // Cancellation reaches the handler asynchronously; poll rather than guess how long it takes.
    for (let i = 0; i < 200 && handler.openStreams > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(handler.openStreams).toBe(0);
    expect(subscriptions).toBe(0);
  });
});
