import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRoutes, type Route } from '../src/http/routes.js';
import { createCheckoutEmulator } from '../src/emulator/checkout-emulator.js';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { createPgliteLedger } from '../src/ledger/pglite.js';
import { SERVER_KEY, VALID_BODIES, makeHandler } from './http-helpers.js';

const routes = buildRoutes();

const badNumber = fc.oneof(fc.constant(-1), fc.constant(0.5), fc.constant(1e12), fc.constant('5'), fc.constant(null), fc.constant(Number.MAX_SAFE_INTEGER * 4));
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });
const badId = fc.oneof(fc.constant(''), fc.constant('x'.repeat(65)), fc.constant('a.b'), fc.constant('%2F..%2F'), fc.constant('%ZZ'), printable.filter((s) => /[^A-Za-z0-9_-]/.test(s)));

/** One guaranteed-invalid mutation of an otherwise valid request. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('malformed-json' as const), text: fc.constantFrom('{', '{"amount":', '[1,', 'nul', '{"a":1}}', '\u0000') }),
  fc.record({ kind: fc.constant('random-json' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ kind: fc.constant('bad-field' as const), field: fc.constantFrom('amount', 'feature', 'source', 'packageId', 'mode', 'threshold', 'metadata', 'ttlSeconds', 'returnUrl', 'priority', 'expiresAt'), value: fc.oneof(badNumber, fc.constant({}), fc.constant([]), fc.constant('Bad Feature!'), fc.constant('x'.repeat(600))) }),
  fc.record({ kind: fc.constant('nul' as const), field: fc.constantFrom('description', 'feature', 'packageId', 'metadata') }),
  fc.record({ kind: fc.constant('extra-field' as const), field: fc.constantFrom('price', 'accountId', '__proto__', 'constructor', 'balance') }),
  fc.record({ kind: fc.constant('content-type' as const), type: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml') }),
  fc.record({ kind: fc.constant('bad-path-param' as const), value: badId }),
  fc.record({ kind: fc.constant('bad-query' as const), name: fc.constantFrom('limit', 'days', 'type', 'cursor'), value: fc.oneof(fc.constant('0'), fc.constant('-3'), fc.constant('abc'), fc.constant('1.5'), fc.constant('99999'), fc.constant('x'.repeat(200))) }),
  fc.record({ kind: fc.constant('bad-idempotency-key' as const), value: fc.oneof(fc.constant('has space'), fc.constant('x'.repeat(256)), fc.constant('tab\there'), fc.constant('é')) }),
  fc.record({ kind: fc.constant('bad-signature' as const), value: printable }),
);

function build(route: Route, m: fc.Arbitrary<unknown> extends never ? never : any): Request | null {
  let path = route.template.replace('{accountId}', 'fuzz').replace('{holdId}', 'hold_x').replace('{sessionId}', 'cs_test_x');
  const headers: Record<string, string> = { authorization: `Bearer ${SERVER_KEY}` };
  const valid = VALID_BODIES[route.operationId];
  let body: string | undefined = valid ? JSON.stringify(valid) : undefined;
  if (valid) headers['content-type'] = 'application/json';
  const query = new URLSearchParams();
  const bodyless = route.bodyRef === null;
  switch (m.kind) {
    case 'malformed-json':
      if (bodyless) return null;
      body = m.text;
      headers['content-type'] = 'application/json';
      break;
    case 'random-json':
      if (bodyless) return null;
      // `{}` is a valid billing-portal body (every field is optional): not an invalid request.
      if (route.operationId === 'createBillingPortalSession' && m.value && typeof m.value === 'object' && !Array.isArray(m.value) && Object.keys(m.value).length === 0) return null;
      body = JSON.stringify(m.value);
      headers['content-type'] = 'application/json';
      break;
    case 'bad-field':
      if (bodyless) return null;
      body = JSON.stringify({ ...valid, [m.field]: m.value });
      if (route.operationId === 'createBillingPortalSession' && m.field !== 'returnUrl') body = JSON.stringify({ [m.field]: m.value });
      break;
    case 'extra-field':
      if (bodyless) return null;
      body = `{${JSON.stringify(m.field)}:1,${JSON.stringify(valid ?? {}).slice(1)}`.replace(/,}$/, '}');
      break;
    case 'nul':
      if (bodyless || !valid) return null;
      body = JSON.stringify({ ...valid, [m.field]: m.field === 'metadata' ? { 'k\u0000': 'v\u0000' } : 'a\u0000b' });
      break;
    case 'content-type':
      if (bodyless) return null;
      headers['content-type'] = m.type;
      break;
    case 'bad-path-param': {
      const names = [...route.template.matchAll(/\{(\w+)\}/g)].map((x) => x[1]!);
      if (names.length === 0) return null;
      path = route.template.replace(/\{(\w+)\}/g, (_, n: string) => (n === names[names.length - 1] ? encodeURIComponent(m.value).replace(/%25/g, '%') : n === 'accountId' ? 'fuzz' : 'hold_x'));
      if (!path.split('/').every(Boolean) && path !== '/') return null; // an empty segment is a different route
      break;
    }
    case 'bad-query':
      if (!route.parameters.some((p) => p.in === 'query' && p.name === m.name)) return null;
      if (m.name === 'cursor' && m.value.length <= 128 && !/^\d|abc/.test(m.value)) return null;
      query.set(m.name, m.value);
      break;
    case 'bad-idempotency-key':
      if (route.method === 'GET' || route.operationId === 'receiveStripeWebhook') return null;
      try {
        new Headers({ 'idempotency-key': m.value });
      } catch {
        return null;
      }
      headers['idempotency-key'] = m.value;
      break;
    case 'bad-signature':
      if (route.operationId !== 'receiveStripeWebhook') return null;
      headers['stripe-signature'] = m.value || 't=1,v1=00';
      body = JSON.stringify({ id: 'evt_1', type: 'checkout.session.completed', data: { object: {} } });
      break;
  }
  if (route.operationId === 'receiveStripeWebhook' && m.kind !== 'bad-signature') {
    headers['stripe-signature'] = 't=1,v1=deadbeef';
  }
  const qs = query.toString();
  return new Request(`http://fuzz.test${path}${qs ? `?${qs}` : ''}`, { method: route.method, headers, body: route.method === 'GET' ? undefined : body });
}

describe.each([
  ['memory', () => createMemoryLedger()],
  ['pglite', () => createPgliteLedger()],
] as const)('spec-driven fuzz on the %s ledger', (_name, makeLedger) => {
  it('answers 300 invalid requests across every operation with 4xx, never 5xx, and leaves the ledger unchanged', async () => {
    const emulator = createCheckoutEmulator({ webhookSecret: 'whsec_fuzz', publicUrl: 'http://fuzz.test' });
    const ledger = makeLedger();
    await ledger.migrate();
    const { handler } = makeHandler({ ledger, stripe: emulator, webhooks: { stripeSecret: 'whsec_fuzz' } });
    await ledger.grant({ accountId: 'fuzz', amount: 1000, source: 'promo', idempotencyKey: 'seed', requestHash: 'seed' });
    const before = JSON.stringify([await ledger.getBalance('fuzz'), await ledger.listEntries({ accountId: 'fuzz', limit: 200 })]);
    const statuses = new Map<number, number>();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), mutation, async (route, m) => {
        if (sent >= 300) return true; // bounded: 300 requests actually sent
        const request = build(route, m);
        if (!request) return true;
        sent++;
        const res = await handler(request);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const text = await res.text();
        if (res.status >= 500 || res.status < 400) throw new Error(`${route.operationId} ${m.kind}: ${res.status} ${text}`);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        return true;
      }),
      { numRuns: 2000, seed: 424242 },
    );
    console.log(`fuzz: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(sent).toBe(300);
    const after = JSON.stringify([await ledger.getBalance('fuzz'), await ledger.listEntries({ accountId: 'fuzz', limit: 200 })]);
    expect(after).toBe(before);
    expect(emulator.sessions.size).toBe(0);
    await ledger.close();
  }, 60_000);
});
