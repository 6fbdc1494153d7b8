import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toNodeHandler } from '../src/http/adapters/node.js';
import { toExpressMiddleware } from '../src/http/adapters/express.js';
import { toNextRouteHandlers } from '../src/http/adapters/next.js';
import { SERVER_SCOPES } from '../src/http/auth.js';
import type { CreditsHandler } from '../src/http/handler.js';
import { signStripeEvent, stripeEvent } from '../src/testing/stripe-sign.js';
import { SERVER_KEY, grant, makeHandler } from './http-helpers.js';
import { makeStripeHandler, WEBHOOK_SECRET } from './stripe-helpers.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.close(r); s.closeAllConnections(); })));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const auth = { authorization: `Bearer ${SERVER_KEY}` };

describe('framework wrappers', () => {
  it('toNodeHandler serves JSON, bodies and problems over node:http', async () => {
    const { handler } = makeHandler();
    const url = await listen(createServer(toNodeHandler(handler)));
    const g = await fetch(`${url}/v1/accounts/n1/grants`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify({ amount: 5, source: 'promo' }) });
    expect(g.status).toBe(201);
    const b = await fetch(`${url}/v1/accounts/n1/balance`, { headers: auth });
    expect((await b.json()).available).toBe(5);
    expect(b.headers.get('x-request-id')).toMatch(/^req_/);
    const p = await fetch(`${url}/v1/accounts/n1/balance`, { method: 'PUT', headers: auth });
    expect(p.status).toBe(405);
    expect(p.headers.get('allow')).toBe('GET');
  });

  it('toNodeHandler answers 413 to an oversized chunked upload instead of dropping the connection', async () => {
    const { handler } = makeHandler();
    const url = await listen(createServer(toNodeHandler(handler)));
    const chunk = new Uint8Array(16 * 1024).fill(32);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 256 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${url}/v1/accounts/big/consumptions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('toNodeHandler streams SSE events as they happen and aborts the request on client disconnect', async () => {
    const { handler } = makeHandler();
    await grant(handler, 's1', 100);
    const url = await listen(createServer(toNodeHandler(handler)));
    const controller = new AbortController();
    const res = await fetch(`${url}/v1/accounts/s1/balance/stream`, { headers: auth, signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const waitFor = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value);
      }
    };
    await waitFor('"available":100');
    expect(handler.openStreams).toBe(1);
    await fetch(`${url}/v1/accounts/s1/consumptions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify({ amount: 7, feature: 'call' }) });
    await waitFor('"available":93');
    controller.abort();
    for (let i = 0; i < 50 && handler.openStreams > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(handler.openStreams).toBe(0);
  });

  it('toNodeHandler closes a balance stream at once when the client left before the stream started', async () => {
    // identify holds the request until the client has gone, so the stream reads its signal after that.
    let clientGone!: () => void;
    const gone = new Promise<void>((r) => (clientGone = r));
    const identify = Object.assign(async () => null, {
      fromHeaders: async () => {
        await gone;
        return { accountId: null, scopes: [...SERVER_SCOPES], kind: 'server' as const };
      },
    });
    const { handler } = makeHandler({ identify });
    // The stream is built (and subscribed, or closed at once) before handle() resolves.
    let answered!: () => void;
    const handled = new Promise<void>((r) => (answered = r));
    const observed: CreditsHandler = Object.assign((request: Request) => handler(request), {
      openStreams: 0,
      ready: () => handler.ready(),
      handle: async (...args: Parameters<CreditsHandler['handle']>) => {
        const response = await handler.handle(...args);
        answered();
        return response;
      },
    });
    const server = createServer(toNodeHandler(observed));
    const url = await listen(server);
    const socketClosed = new Promise<void>((r) => server.once('request', (req) => req.socket.once('close', () => r())));
    const controller = new AbortController();
    const res = fetch(`${url}/v1/accounts/s2/balance/stream`, { headers: auth, signal: controller.signal }).catch(() => null);
    server.once('request', () => controller.abort());
    await socketClosed;
    clientGone();
    await handled;
    expect(handler.openStreams).toBe(0);
    await res;
  });

  it('toNodeHandler aborts request.signal of any fetch handler when the client disconnects', async () => {
    let aborted!: () => void;
    const wasAborted = new Promise<void>((r) => (aborted = r));
    const generic = async (request: Request) => {
      request.signal.addEventListener('abort', () => aborted());
      return new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('data: hi\n\n')); } }), { headers: { 'content-type': 'text/event-stream' } });
    };
    const url = await listen(createServer(toNodeHandler(generic)));
    const controller = new AbortController();
    const res = await fetch(url, { signal: controller.signal });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('data: hi');
    controller.abort();
    await wasAborted;
  });

  it('toExpressMiddleware handles /v1 under a base path and passes everything else to next()', async () => {
    const { handler } = makeHandler();
    const middleware = toExpressMiddleware(handler, { basePath: '/api/credits' });
    const url = await listen(
      createServer((req, res) => {
        middleware(req, res, (error?: unknown) => {
          res.writeHead(error ? 500 : 418).end('next');
        });
      }),
    );
    const ok = await fetch(`${url}/api/credits/v1/packages`, { headers: auth });
    expect(ok.status).toBe(200);
    expect((await ok.json()).data).toHaveLength(6);
    const other = await fetch(`${url}/somewhere/else`);
    expect(other.status).toBe(418);
    const post = await fetch(`${url}/api/credits/v1/accounts/e1/grants`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify({ amount: 3, source: 'promo' }) });
    expect(post.status).toBe(201);
  });

  it('toExpressMiddleware and the handler may both be given the base path', async () => {
    const { handler } = makeHandler({ basePath: '/api/credits' });
    const middleware = toExpressMiddleware(handler, { basePath: '/api/credits' });
    const url = await listen(createServer((req, res) => middleware(req, res, () => res.writeHead(418).end())));
    const ok = await fetch(`${url}/api/credits/v1/packages`, { headers: auth });
    expect(ok.status).toBe(200);
  });

  it('toExpressMiddleware re-serialises a body a JSON parser already consumed', async () => {
    const { handler } = makeHandler();
    const middleware = toExpressMiddleware(handler);
    const url = await listen(
      createServer(async (req, res) => {
        let raw = '';
        for await (const chunk of req) raw += chunk;
        Object.assign(req, { body: raw ? JSON.parse(raw) : undefined });
        middleware(req, res, () => res.writeHead(404).end());
      }),
    );
    const post = await fetch(`${url}/v1/accounts/e2/grants`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify({ amount: 4, source: 'promo' }) });
    expect(post.status).toBe(201);
    expect((await post.json()).balance.available).toBe(4);
  });

  it('toNodeHandler hands a Stripe webhook its raw bytes: a signed event with multi-byte text in chunks verifies', async () => {
    const setup = makeStripeHandler();
    const url = await listen(createServer(toNodeHandler(setup.handler)));
    // An event type the server acknowledges without acting on it: the point is the signature over the raw body.
    const event = stripeEvent('customer.updated', { id: 'cus_1', name: 'Zoë Ünal 東京 🚀', padding: 'x'.repeat(70_000) });
    const signed = signStripeEvent(event, WEBHOOK_SECRET);
    const bytes = new TextEncoder().encode(signed.body);
    // Sent in pieces that split multi-byte characters, as a slow network would.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 4093) controller.enqueue(bytes.subarray(at, at + 4093));
        controller.close();
      },
    });
    const res = await fetch(`${url}/v1/webhooks/stripe`, { method: 'POST', headers: signed.headers, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(200);
    const tampered = await fetch(`${url}/v1/webhooks/stripe`, { method: 'POST', headers: signed.headers, body: signed.body.replace('Zoë', 'Zoe') });
    expect(tampered.status).toBe(400);
    expect((await tampered.json()).code).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it('toNodeHandler gives identify a Request with the URL and headers, and the body to the operation', async () => {
    const seen: Array<{ url: string; method: string; cookie: string | null }> = [];
    const { handler } = makeHandler({
      identify: (request: Request) => {
        seen.push({ url: request.url, method: request.method, cookie: request.headers.get('cookie') });
        return request.headers.get('cookie') === 'session=ok' ? { accountId: null, scopes: [...SERVER_SCOPES], kind: 'server' as const } : null;
      },
    });
    const url = await listen(createServer(toNodeHandler(handler)));
    const headers = { cookie: 'session=ok', 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() };
    const post = await fetch(`${url}/v1/accounts/n3/grants?x=1`, { method: 'POST', headers, body: JSON.stringify({ amount: 3, source: 'promo' }) });
    expect(post.status).toBe(201);
    expect((await post.json()).balance.available).toBe(3);
    expect(seen).toEqual([{ url: `${url}/v1/accounts/n3/grants?x=1`, method: 'POST', cookie: 'session=ok' }]);
    const refused = await fetch(`${url}/v1/accounts/n3/balance`, { headers: { cookie: 'session=no' } });
    expect(refused.status).toBe(401);
  });

  it('toExpressMiddleware passes a body a text parser already read, byte for byte', async () => {
    const { handler } = makeHandler();
    const middleware = toExpressMiddleware(handler);
    const url = await listen(
      createServer(async (req, res) => {
        let raw = '';
        for await (const chunk of req) raw += chunk;
        Object.assign(req, { body: raw });
        middleware(req, res, () => res.writeHead(404).end());
      }),
    );
    const post = await fetch(`${url}/v1/accounts/e3/grants`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify({ amount: 6, source: 'promo', description: 'Gutschrift für Zoë' }) });
    expect(post.status).toBe(201);
    const ledger = await fetch(`${url}/v1/accounts/e3/ledger`, { headers: auth });
    expect((await ledger.json()).data[0].description).toBe('Gutschrift für Zoë');
  });

  it('toNextRouteHandlers exposes GET/POST/PUT for a catch-all route under basePath', async () => {
    const { handler } = makeHandler({ basePath: '/api/credits' });
    const { GET, POST, PUT } = toNextRouteHandlers(handler);
    const headers = { ...auth, 'content-type': 'application/json' };
    expect((await POST(new Request('http://n/api/credits/v1/accounts/x1/grants', { method: 'POST', headers: { ...headers, 'idempotency-key': 'next-grant' }, body: '{"amount":2,"source":"plan"}' }))).status).toBe(201);
    expect((await (await GET(new Request('http://n/api/credits/v1/accounts/x1/balance', { headers }))).json()).available).toBe(2);
    const put = await PUT(new Request('http://n/api/credits/v1/accounts/x1/alert-settings', { method: 'PUT', headers, body: '{"mode":"absolute","threshold":1}' }));
    expect(put.status).toBe(200);
    expect((await GET(new Request('http://n/elsewhere/v1/packages', { headers }))).status).toBe(404);
  });
});
