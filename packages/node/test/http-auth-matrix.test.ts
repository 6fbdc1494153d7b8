import { describe, expect, it } from 'vitest';
import { buildRoutes } from '../src/http/routes.js';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { createCreditsHandler } from '../src/http/handler.js';
import type { Identity } from '../src/http/auth.js';
import { createServerKeyIdentify } from '../src/http/auth.js';
import { createCheckoutEmulator } from '../src/emulator/checkout-emulator.js';
import { createTokenBucketRateLimit } from '../src/http/rate-limit.js';
import { SERVER_KEY, makeHandler, quietLogger, VALID_BODIES } from './http-helpers.js';


const identities: Record<string, Identity> = {
  'browser-own': { accountId: 'owner', scopes: ['credits:read', 'credits:purchase'], kind: 'browser' },
  'browser-no-scope': { accountId: 'owner', scopes: [], kind: 'browser' },
};

function setup() {
  const ledger = createMemoryLedger();
  const emulator = createCheckoutEmulator({ webhookSecret: 'whsec_m', publicUrl: 'http://t' });
  const serverKey = createServerKeyIdentify({ secretKey: 'sk_matrix' });
  const handler = createCreditsHandler({
    ledger,
    stripe: emulator,
    webhooks: { stripeSecret: 'whsec_m' },
    logger: quietLogger,
    rateLimit: false,
    identify: async (req) => {
      const who = req.headers.get('x-test-identity');
      return who ? identities[who]! : serverKey(req);
    },
  });
  return { handler, ledger };
}

const routes = buildRoutes().filter((r) => r.operationId !== 'receiveStripeWebhook');
const callers = ['none', 'server', 'browser-own', 'browser-other', 'browser-no-scope'] as const;

async function send(handler: (r: Request) => Promise<Response>, route: (typeof routes)[number], caller: (typeof callers)[number]) {
  const account = caller === 'browser-other' ? 'victim' : caller === 'server' ? 'owner' : 'me';
  const path = route.template.replace('{accountId}', account).replace('{holdId}', 'hold_x').replace('{sessionId}', 'cs_test_x').replace('{paymentMethodId}', 'pm_x').replace('{paymentId}', 'pi_x');
  const headers: Record<string, string> = {};
  if (caller === 'server') headers.authorization = 'Bearer sk_matrix';
  else if (caller === 'browser-other') headers['x-test-identity'] = 'browser-own';
  else if (caller !== 'none') headers['x-test-identity'] = caller;
  const body = VALID_BODIES[route.operationId];
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await handler(new Request(`http://t${path}`, { method: route.method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  const contentType = res.headers.get('content-type') ?? '';
  const json = contentType.includes('json') ? await res.json() : (await res.body?.cancel(), null);
  return { status: res.status, code: json?.code as string | undefined };
}

describe('auth matrix: every operation × every kind of caller', () => {
  for (const route of routes) {
    const scoped = (route.scopes ?? []).length > 0;
    const serverOnly = (route.scopes ?? []).some((s) => s === 'credits:consume' || s === 'credits:grant');
    it(`${route.operationId}`, async () => {
      const { handler, ledger } = setup();
      await ledger.grant({ accountId: 'victim', amount: 10, source: 'promo', idempotencyKey: 'g', requestHash: 'h' });
      await ledger.grant({ accountId: 'owner', amount: 10, source: 'promo', idempotencyKey: 'g', requestHash: 'h' });

      expect(await send(handler, route, 'none')).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });

      const server = await send(handler, route, 'server');
      expect([401, 403]).not.toContain(server.status);
      expect(server.code).not.toBe('ACCOUNT_NOT_FOUND');

      const own = await send(handler, route, 'browser-own');
      if (serverOnly) expect(own).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      else {
        expect([401, 403]).not.toContain(own.status);
        expect(own.code).not.toBe('ACCOUNT_NOT_FOUND');
      }

      const other = await send(handler, route, 'browser-other');
      if (serverOnly) expect(other).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      else if (route.template.includes('{accountId}')) expect(other).toMatchObject({ status: 404, code: 'ACCOUNT_NOT_FOUND' });
      else expect(other.status).toBe(200);

      const noScope = await send(handler, route, 'browser-no-scope');
      if (scoped) expect(noScope).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      else expect(noScope.status).toBe(200);

      // Nothing a browser did touched the other account.
      expect((await ledger.getBalance('victim'))!.available).toBe(10);
    });
  }

  it('a server key using `me` without an own account gets 400 VALIDATION_FAILED', async () => {
    const { handler } = setup();
    const res = await handler(new Request('http://t/v1/accounts/me/balance', { headers: { authorization: 'Bearer sk_matrix' } }));
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].path).toBe('path/accountId');
  });

  it('createServerKeyIdentify rejects wrong keys, other schemes and near-misses', async () => {
    const identify = createServerKeyIdentify({ secretKey: 'sk_matrix' });
    for (const auth of ['Bearer sk_matri', 'Bearer sk_matrixx', 'Basic sk_matrix', 'sk_matrix', '']) {
      expect(await identify(new Request('http://t', { headers: { authorization: auth } }))).toBeNull();
    }
    expect(await identify(new Request('http://t', { headers: { authorization: 'bearer sk_matrix' } }))).toMatchObject({ kind: 'server', accountId: null });
  });

  it('createServerKeyIdentify decides the same from the headers alone as from the Request, and builds the Request only for the browser hook', async () => {
    const hookSaw: Array<string | null> = [];
    const identify = createServerKeyIdentify({
      secretKey: 'sk_matrix',
      browser: (request) => {
        hookSaw.push(request.headers.get('cookie'));
        return request.headers.get('cookie') === 'sid=alice' || request.headers.get('x-session') === 'alice' ? { accountId: 'alice' } : null;
      },
    });
    const cases: Array<Record<string, string>> = [
      { authorization: 'Bearer sk_matrix' },
      { authorization: 'Bearer wrong' },
      { authorization: 'Bearer wrong', cookie: 'sid=alice' },
      { authorization: 'Token x', 'x-session': 'alice' },
      { cookie: 'sid=alice' },
      {},
    ];
    for (const headers of cases) {
      const request = new Request('http://t/v1/accounts/me/balance', { headers });
      let built = 0;
      const viaHeaders = await identify.fromHeaders!(request.headers, () => (built++, request));
      expect(viaHeaders, JSON.stringify(headers)).toEqual(await identify(request));
      // The server key never needs the Request; everything else goes through the browser hook.
      expect(built, JSON.stringify(headers)).toBe(headers.authorization === 'Bearer sk_matrix' ? 0 : 1);
    }
    // With credentials present, the hook never sees the cookie (twice per case: both forms ran).
    expect(hookSaw).toEqual([null, null, null, null, null, null, 'sid=alice', 'sid=alice', null, null]);
  });

  it('a rate limit without byIdentity is given the request; the built-in ones decide from the identity alone', async () => {
    const seen: string[] = [];
    const { handler } = makeHandler({
      rateLimit: (_identity, request) => {
        seen.push(`${request.method} ${new URL(request.url).pathname} ${request.headers.get('x-client') ?? ''}`);
        return { ok: true };
      },
    });
    const res = await handler(new Request('http://t/v1/accounts/acct_1/balance', { headers: { authorization: `Bearer ${SERVER_KEY}`, 'x-client': 'cli' } }));
    expect(res.status).toBe(200);
    expect(seen).toEqual(['GET /v1/accounts/acct_1/balance cli']);
    const bucket = createTokenBucketRateLimit({ burst: 1, ratePerSecond: 0.001, includeServer: true });
    const server = { accountId: null, scopes: [], kind: 'server' as const };
    expect(await bucket.byIdentity!(server)).toEqual({ ok: true });
    expect(await bucket(server, new Request('http://t'))).toMatchObject({ ok: false });
  });
});
