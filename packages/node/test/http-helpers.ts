/** Shared setup of the HTTP tests: a handler on a memory ledger with a server key and browser sessions. */
import { createMemoryLedger } from '../src/ledger/memory.js';
import type { LedgerAdapter } from '../src/ledger/adapter.js';
import { createServerKeyIdentify } from '../src/http/auth.js';
import { createCreditsHandler, type CreditsHandlerOptions } from '../src/http/handler.js';

export const SERVER_KEY = 'sk_test_server';
export const BASE = 'http://credits.test';

/** Browser sessions are `Authorization: Session <accountId>` in tests. */
export function testIdentify() {
  return createServerKeyIdentify({
    secretKey: SERVER_KEY,
    browser: (req) => {
      const m = /^Session (\S+)$/.exec(req.headers.get('authorization') ?? '');
      return m ? { accountId: m[1]! } : null;
    },
  });
}

/** A minimal valid JSON body for every operation that takes one, by operationId. */
export const VALID_BODIES: Record<string, Record<string, unknown>> = {
  createCheckoutSession: { packageId: 'credits_2000' },
  consumeCredits: { amount: 1, feature: 'call' },
  createHold: { amount: 1, feature: 'call' },
  captureHold: { amount: 0 },
  createGrant: { amount: 1, source: 'promo' },
  updateAlertSettings: { mode: 'absolute', threshold: 1 },
  createBillingPortalSession: {},
  changePlan: { planId: 'free' },
  createPayment: { packageId: 'credits_2000' },
  updateAutoTopUp: { enabled: false, mode: 'absolute', threshold: 100, packageId: 'credits_2000' },
};

export const quietLogger = { info() {}, warn() {}, error: process.env.DEBUG_HTTP ? console.error : () => {} };

export function makeHandler(overrides: Partial<CreditsHandlerOptions> & { ledger?: LedgerAdapter } = {}) {
  const ledger = overrides.ledger ?? createMemoryLedger();
  const handler = createCreditsHandler({ identify: testIdentify(), logger: quietLogger, rateLimit: false, publicUrl: BASE, ...overrides, ledger });
  return { ledger, handler };
}

type Init = { method?: string; body?: unknown; auth?: string | null; headers?: Record<string, string>; idempotencyKey?: null };

/**
 * Builds a request; `auth` defaults to the server key, `null` sends none. Like the SDK, a POST or
 * PUT gets a fresh `Idempotency-Key` unless it names one (`idempotencyKey: null` sends none).
 */
export function req(path: string, init: Init = {}): Request {
  const headers: Record<string, string> = { ...init.headers };
  const method = init.method ?? (init.body !== undefined ? 'POST' : 'GET');
  const named = Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key');
  if ((method === 'POST' || method === 'PUT') && !named && init.idempotencyKey !== null) {
    headers['idempotency-key'] = `test-${crypto.randomUUID()}`;
  }
  const auth = init.auth === undefined ? `Bearer ${SERVER_KEY}` : init.auth;
  if (auth) headers.authorization = auth;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  return new Request(`${BASE}${path}`, { method, headers, body });
}

export async function call(handler: (r: Request) => Promise<Response>, path: string, init: Init = {}) {
  const res = await handler(req(path, init));
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
}

export async function grant(handler: (r: Request) => Promise<Response>, accountId: string, amount: number) {
  const r = await call(handler, `/v1/accounts/${accountId}/grants`, { body: { amount, source: 'promo' }, headers: { 'idempotency-key': `g-${accountId}-${amount}-${Math.random()}` } });
  if (r.status !== 201) throw new Error(`grant failed ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}
