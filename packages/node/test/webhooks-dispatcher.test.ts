import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { createWebhookDispatcher } from '../src/webhooks/dispatcher.js';
import { signWebhook, verifyWebhook, WebhookVerificationError } from '../src/webhooks/signature.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.close(r); s.closeAllConnections(); })));
});

/** A real receiver that verifies every delivery and fails the first `failures` attempts. */
async function receiver(failures: number) {
  const received: Array<{ id: string; type: string; verified: boolean }> = [];
  let attempts = 0;
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    attempts++;
    if (attempts <= failures) return res.writeHead(503).end('busy');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const event = await verifyWebhook<{ id: string; type: string }>(body, headers, SECRET).catch(() => null);
    received.push({ id: String(headers['webhook-id']), type: event?.type ?? '?', verified: Boolean(event) });
    res.writeHead(event ? 204 : 400).end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, attempts: () => attempts };
}

const waitUntil = async (predicate: () => boolean, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('outbound webhooks', () => {
  it('signs per Standard Webhooks (published test vector)', async () => {
    const signature = await signWebhook(SECRET, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifyWebhook rejects tampered, stale, unsigned and wrong-secret deliveries', async () => {
    const body = '{"id":"evt_1","type":"balance.low"}';
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(ts), 'webhook-signature': await signWebhook(SECRET, 'evt_1', ts, body) };
    await expect(verifyWebhook(body, new Headers(headers), SECRET)).resolves.toMatchObject({ type: 'balance.low' });
    await expect(verifyWebhook(body, { ...headers, 'webhook-signature': `v1,bogus ${headers['webhook-signature']}` }, SECRET)).resolves.toBeTruthy();
    await expect(verifyWebhook(body.replace('low', 'lOw'), headers, SECRET)).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(verifyWebhook(body, headers, 'whsec_b3RoZXI=')).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(verifyWebhook(body, { 'webhook-id': 'evt_1' }, SECRET)).rejects.toBeInstanceOf(WebhookVerificationError);
    const old = ts - 301;
    const stale = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(old), 'webhook-signature': await signWebhook(SECRET, 'evt_1', old, body) };
    await expect(verifyWebhook(body, stale, SECRET)).rejects.toThrow(/tolerance/);
  });

  it('delivers every outbox event at least once, retrying with backoff through receiver failures', async () => {
    const ledger = createMemoryLedger();
    const hook = await receiver(3);
    await ledger.grant({ accountId: 'w1', amount: 10, source: 'promo', idempotencyKey: 'g', requestHash: 'h' });
    await ledger.consume({ accountId: 'w1', amount: 10, feature: 'call', idempotencyKey: 'c', requestHash: 'h2' });
    const dispatcher = createWebhookDispatcher({ ledger, url: hook.url, secret: SECRET, intervalMs: 10, baseBackoffMs: 20, logger: { info() {}, warn() {}, error() {} } });
    dispatcher.start();
    // Every event the consume caused, each possibly still in backoff: wait for all of them before stopping.
    const caused = ['credits.consumed', 'balance.low', 'balance.depleted'];
    await waitUntil(() => caused.every((type) => hook.received.some((r) => r.type === type)), 10_000);
    await dispatcher.stop();
    expect(hook.attempts()).toBeGreaterThan(3);
    expect(hook.received.every((r) => r.verified)).toBe(true);
    expect(await ledger.claimOutboxEvents(10, 1000)).toEqual([]);
  });

  it('loses nothing across a crash after claiming: the lease runs out and a new dispatcher delivers', async () => {
    const ledger = createMemoryLedger();
    const hook = await receiver(0);
    await ledger.grant({ accountId: 'w2', amount: 1, source: 'promo', idempotencyKey: 'g', requestHash: 'h' });
    await ledger.consume({ accountId: 'w2', amount: 1, feature: 'call', idempotencyKey: 'c', requestHash: 'h2' });
    const claimed = await ledger.claimOutboxEvents(10, 50); // the "crashed" process took them
    expect(claimed.length).toBeGreaterThan(0);
    const dispatcher = createWebhookDispatcher({ ledger, url: hook.url, secret: SECRET, intervalMs: 10 });
    expect(await dispatcher.runOnce()).toBe(0); // still leased
    await new Promise((r) => setTimeout(r, 60));
    expect(await dispatcher.runOnce()).toBe(claimed.length);
    expect(new Set(hook.received.map((r) => r.id))).toEqual(new Set(claimed.map((e) => e.id)));
  });
});
