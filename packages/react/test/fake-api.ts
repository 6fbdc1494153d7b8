import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { AccountPlan, AutoTopUp, Balance, CheckoutSession, CreditPackage, LedgerEntry, Payment, PaymentMethod, Plan, Purchase } from '@aivah/credits';

export const BASE = 'http://credits.test';

/** The default catalogue of the product spec (ids and USD cents are fixed). */
export const PACKAGES: CreditPackage[] = [
  [2000, 1000],
  [5000, 2000],
  [10000, 3000],
  [20000, 4000],
  [30000, 5000],
  [40000, 6000],
].map(([credits, amount]) => ({
  id: `credits_${credits}`,
  name: `${credits!.toLocaleString('en-US')} Credits`,
  credits: credits!,
  price: { amount: amount!, currency: 'usd' },
}));

/** The default plans of the product spec. */
export const PLANS: Plan[] = [
  { id: 'free', name: 'Free', credits: 500, interval: 'month', rolloverCap: 0, price: { amount: 0, currency: 'usd' } },
  { id: 'starter', name: 'Starter', credits: 3000, interval: 'month', rolloverCap: 1500, price: { amount: 1500, currency: 'usd' } },
  { id: 'pro', name: 'Pro', credits: 10000, interval: 'month', rolloverCap: 5000, price: { amount: 4000, currency: 'usd' } },
];

const encoder = new TextEncoder();
const sse = (b: Balance) => encoder.encode(`id: ${b.version}\nevent: balance\ndata: ${JSON.stringify(b)}\n\n`);

function problem(status: number, code: string, extra: Record<string, unknown> = {}) {
  return HttpResponse.json(
    { type: `https://docs.aivah.dev/errors/${code.toLowerCase()}`, title: code, status, code, requestId: 'req_test', ...extra },
    { status, headers: { 'content-type': 'application/problem+json' } },
  );
}

/**
 * An in-memory Aivah Credits API for msw: one account, a live SSE stream, checkout sessions that
 * are fulfilled after `fulfilAfterGets` reads, and consumptions that answer 402 when short.
 */
export function createFakeApi(initial = 2341) {
  const fresh = () => ({
    balance: {
      accountId: 'acct_test',
      available: initial,
      held: 0,
      deficit: 0,
      grants: [],
      version: 1,
      updatedAt: '2026-11-25T10:00:00.000Z',
    } as Balance,
    streams: new Set<ReadableStreamDefaultController<Uint8Array>>(),
    streamRequests: 0,
    streamAborts: 0,
    requests: [] as string[],
    sessions: new Map<string, CheckoutSession>(),
    sessionGets: 0,
    fulfilAfterGets: 2,
    consumeBodies: [] as unknown[],
    /** Purchases, newest first: a fulfilled session adds one, with its receipt. */
    purchases: [] as Purchase[],
    /** The `?from=…&to=…` of each CSV export asked for. */
    exports: [] as string[],
    /** The account's plan: none until changed. */
    plan: { accountId: 'acct_test', status: 'none', plan: null, pendingPlan: null, cancelAtPeriodEnd: false, periodStart: null, periodEnd: null, renewsAt: null, billing: 'server', allowance: null } as AccountPlan,
    /** The ledger to serve, newest first; by default five consumptions. */
    ledger: null as LedgerEntry[] | null,
    alerts: {
      accountId: 'acct_test',
      enabled: true,
      mode: 'usage_percent',
      threshold: null,
      percent: 25,
      effectiveThreshold: 750,
      low: false,
      updatedAt: null,
    } as Record<string, unknown>,
    /** Stored cards, newest first (none by default). */
    cards: [] as PaymentMethod[],
    /** How the next one-click payment goes. */
    cardOutcome: 'succeeded' as Payment['status'],
    payments: [] as unknown[],
    autoTopUp: {
      accountId: 'acct_test', enabled: false, mode: 'usage_percent', threshold: null, percent: 25, effectiveThreshold: 750,
      packageId: null, monthlyCountCap: null, monthlyAmountCap: null, state: 'ok', usedThisMonth: { count: 0, amount: 0, currency: 'usd' },
      latest: null, notice: null, updatedAt: null,
    } as AutoTopUp,
  });
  const state = fresh();
  /** Back to the initial account, with counters at zero (between tests). */
  const reset = () => {
    for (const c of state.streams) c.close();
    Object.assign(state, fresh());
  };

  /** Changes the balance the way the server would, and pushes it to every open stream. */
  const setAvailable = (available: number) => {
    state.balance = { ...state.balance, available, version: state.balance.version + 1 };
    for (const c of state.streams) c.enqueue(sse(state.balance));
    return state.balance;
  };

  const account = `${BASE}/v1/accounts/:accountId`;
  const handlers = [
    http.get(`${account}/balance`, () => HttpResponse.json(state.balance)),
    http.get(`${account}/balance/stream`, ({ request }) => {
      state.streamRequests++;
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
          state.streams.add(c);
          c.enqueue(sse(state.balance));
        },
        cancel() {
          state.streams.delete(controller);
        },
      });
      request.signal.addEventListener('abort', () => {
        state.streamAborts++;
        state.streams.delete(controller);
      });
      return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
    }),
    http.get(`${BASE}/v1/packages`, () => HttpResponse.json({ data: PACKAGES })),
    http.get(`${BASE}/v1/plans`, () => HttpResponse.json({ data: PLANS })),
    http.get(`${account}/plan`, () => HttpResponse.json(state.plan)),
    http.put(`${account}/plan`, async ({ request }) => {
      const { planId } = (await request.json()) as { planId: string };
      const plan = PLANS.find((p) => p.id === planId);
      if (!plan) return problem(422, 'PLAN_NOT_FOUND');
      if (state.plan.plan?.id === planId) return problem(422, 'PLAN_UNCHANGED');
      if (plan.price.amount > 0) return HttpResponse.json({ effective: 'checkout', granted: 0, checkoutUrl: `https://checkout.stripe.test/c/pay/sub_${planId}`, plan: state.plan });
      const periodEnd = '2026-12-25T10:00:00.000Z';
      state.plan = {
        ...state.plan, status: 'active', plan, periodStart: '2026-11-25T10:00:00.000Z', periodEnd, renewsAt: periodEnd,
        allowance: { included: plan.credits, remaining: plan.credits, carriedOver: 0, rollsOver: 0, expiresAt: periodEnd },
      };
      state.balance = { ...state.balance, grants: [...state.balance.grants, { id: `g_${planId}`, source: 'plan', amount: plan.credits, remaining: plan.credits, expiresAt: periodEnd, priority: 10, createdAt: periodEnd }] };
      setAvailable(state.balance.available + plan.credits);
      return HttpResponse.json({ effective: 'now', granted: plan.credits, checkoutUrl: null, plan: state.plan });
    }),
    http.post(`${account}/checkout-sessions`, async ({ request }) => {
      const { packageId } = (await request.json()) as { packageId: string };
      const pkg = PACKAGES.find((p) => p.id === packageId);
      if (!pkg) return problem(422, 'PACKAGE_NOT_FOUND');
      const id = `cs_test_${state.sessions.size + 1}`;
      const session: CheckoutSession = {
        id,
        accountId: state.balance.accountId,
        packageId,
        credits: pkg.credits,
        amountTotal: pkg.price.amount,
        currency: pkg.price.currency,
        status: 'open',
        paymentStatus: 'unpaid',
        fulfilled: false,
        url: `https://checkout.stripe.test/c/pay/${id}`,
      };
      state.sessions.set(id, session);
      return HttpResponse.json(session, { status: 201 });
    }),
    http.get(`${account}/checkout-sessions/:sessionId`, ({ params }) => {
      const session = state.sessions.get(params.sessionId as string);
      if (!session) return problem(404, 'CHECKOUT_SESSION_NOT_FOUND');
      state.sessionGets++;
      if (!session.fulfilled && state.sessionGets >= state.fulfilAfterGets) {
        Object.assign(session, {
          status: 'complete',
          paymentStatus: 'paid',
          fulfilled: true,
          url: null,
          balance: setAvailable(state.balance.available + session.credits),
        });
        state.purchases.unshift({
          id: `pur_${session.id}`, accountId: session.accountId, status: 'paid', packageId: session.packageId, credits: session.credits, creditsReversed: 0,
          amountTotal: session.amountTotal, currency: session.currency, grantId: `g_${session.id}`, checkoutSessionId: session.id,
          paymentIntentId: `pi_${session.id}`, invoiceId: `in_${session.id}`, receiptUrl: `https://invoice.stripe.test/i/${session.id}`,
          createdAt: state.balance.updatedAt, updatedAt: state.balance.updatedAt,
        });
      }
      return HttpResponse.json(session);
    }),
    http.post(`${account}/consumptions`, async ({ request }) => {
      const body = (await request.json()) as { amount: number; feature: string };
      state.consumeBodies.push(body);
      if (body.amount > state.balance.available) {
        return problem(402, 'INSUFFICIENT_CREDITS', { available: state.balance.available, required: body.amount });
      }
      const balance = setAvailable(state.balance.available - body.amount);
      const entry = {
        id: `le_${balance.version}`,
        accountId: balance.accountId,
        seq: balance.version,
        type: 'consume',
        amount: -body.amount,
        balanceAfter: balance.available,
        feature: body.feature,
        grantId: null,
        holdId: null,
        source: null,
        description: null,
        metadata: {},
        createdAt: balance.updatedAt,
      };
      return HttpResponse.json({ entry, balance }, { status: 201 });
    }),
    http.get(`${account}/ledger`, ({ request }) => {
      const url = new URL(request.url);
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const all = state.ledger ?? Array.from({ length: 5 }, (_, i): LedgerEntry => ({
        id: `le_${5 - i}`,
        accountId: state.balance.accountId,
        seq: 5 - i,
        type: 'consume',
        amount: -1,
        balanceAfter: state.balance.available + i,
        feature: 'conversation',
        grantId: null,
        holdId: null,
        source: null,
        description: null,
        metadata: {},
        createdAt: state.balance.updatedAt,
      }));
      const data = all.slice(start, start + limit);
      const hasMore = start + limit < all.length;
      return HttpResponse.json({ data, hasMore, nextCursor: hasMore ? String(start + limit) : null });
    }),
    http.get(`${account}/purchases`, ({ request }) => {
      const url = new URL(request.url);
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const data = state.purchases.slice(start, start + limit);
      const hasMore = start + limit < state.purchases.length;
      return HttpResponse.json({ data, hasMore, nextCursor: hasMore ? String(start + limit) : null });
    }),
    http.get(`${account}/ledger/export`, ({ request }) => {
      const url = new URL(request.url);
      state.exports.push(url.search);
      const from = url.searchParams.get('from');
      const to = url.searchParams.get('to');
      if (from && to && from >= to) return problem(400, 'VALIDATION_FAILED');
      return new HttpResponse('created_at,seq\r\n2026-11-25T10:00:00.000Z,1\r\n', {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="ledger-acct_test-start-2026-11-25.csv"' },
      });
    }),
    http.get(`${account}/usage`, ({ request }) => {
      const days = Number(new URL(request.url).searchParams.get('days') ?? 30);
      const dailyAverage = 100;
      return HttpResponse.json({
        accountId: state.balance.accountId,
        from: '2026-10-26T00:00:00.000Z',
        to: '2026-11-25T00:00:00.000Z',
        days,
        total: dailyAverage * days,
        byDay: [],
        byFeature: [{ feature: 'conversation', total: dailyAverage * days }],
        forecast: {
          dailyAverage,
          projected30Days: dailyAverage * 30,
          available: state.balance.available,
          daysLeft: state.balance.available / dailyAverage,
          depletionDate: '2026-12-18',
        },
      });
    }),
    http.get(`${account}/payment-methods`, () => HttpResponse.json({ data: state.cards })),
    http.delete(`${account}/payment-methods/:paymentMethodId`, ({ params }) => {
      const card = state.cards.find((c) => c.id === params.paymentMethodId);
      if (!card) return problem(404, 'PAYMENT_METHOD_NOT_FOUND');
      state.cards = state.cards.filter((c) => c !== card);
      return HttpResponse.json(card);
    }),
    http.post(`${account}/payments`, async ({ request }) => {
      const body = (await request.json()) as { packageId: string; paymentMethodId?: string };
      state.payments.push(body);
      const pkg = PACKAGES.find((p) => p.id === body.packageId);
      if (!pkg) return problem(422, 'PACKAGE_NOT_FOUND');
      const card = state.cards.find((c) => c.id === body.paymentMethodId) ?? state.cards[0];
      if (!card) return problem(409, 'PAYMENT_METHOD_REQUIRED');
      const status = state.cardOutcome;
      const payment: Payment = {
        id: `pi_${state.payments.length}`, accountId: state.balance.accountId, packageId: pkg.id, credits: pkg.credits, amountTotal: pkg.price.amount,
        currency: pkg.price.currency, status, fulfilled: status === 'succeeded', paymentMethod: card,
        nextActionUrl: status === 'requires_action' ? 'https://checkout.stripe.test/c/pay/cs_authenticate' : null,
        failureCode: status === 'failed' ? 'card_declined' : status === 'requires_action' ? 'authentication_required' : null,
        failureMessage: status === 'failed' ? 'Your card was declined.' : null,
        ...(status === 'succeeded' ? { balance: setAvailable(state.balance.available + pkg.credits) } : {}),
      };
      return HttpResponse.json(payment, { status: 201 });
    }),
    http.get(`${account}/auto-top-up`, () => HttpResponse.json(state.autoTopUp)),
    http.put(`${account}/auto-top-up`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      if (body.enabled && state.cards.length === 0) return problem(409, 'PAYMENT_METHOD_REQUIRED');
      state.autoTopUp = { ...state.autoTopUp, ...body, updatedAt: '2026-11-25T11:00:00.000Z' } as AutoTopUp;
      return HttpResponse.json(state.autoTopUp);
    }),
    http.get(`${account}/alert-settings`, () => HttpResponse.json(state.alerts)),
    http.put(`${account}/alert-settings`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      state.alerts = { ...state.alerts, ...body, updatedAt: '2026-11-25T11:00:00.000Z' };
      return HttpResponse.json(state.alerts);
    }),
  ];

  const server = setupServer(...handlers);
  server.events.on('request:start', ({ request }) => {
    state.requests.push(`${request.method} ${new URL(request.url).pathname}`);
  });
  return { server, state, setAvailable, reset };
}

/** A stored Visa card ending in `last4`. */
export function visa(last4 = '4242'): PaymentMethod {
  return { id: `pm_${last4}`, brand: 'visa', last4, expMonth: 12, expYear: 2030, createdAt: '2026-11-25T10:00:00.000Z' };
}

/** A session as returned to a `/payment?state=success&session_id=…` page. */
export function addPaidSession(api: ReturnType<typeof createFakeApi>, credits = 5000): string {
  const id = `cs_test_paid_${api.state.sessions.size + 1}`;
  api.state.sessions.set(id, {
    id,
    accountId: api.state.balance.accountId,
    packageId: `credits_${credits}`,
    credits,
    amountTotal: 2000,
    currency: 'usd',
    status: 'open',
    paymentStatus: 'unpaid',
    fulfilled: false,
    url: null,
  });
  return id;
}

/** Resolves once every shared balance stream has closed and its abort reached the server. */
export async function streamsClosed(count: () => number): Promise<void> {
  for (let i = 0; i < 100 && count() > 0; i++) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 10));
}

/** Installs the fake API for one test file: listen, reset between tests, close. */
export function useFakeApi(hooks: {
  beforeAll: (fn: () => void) => void;
  afterEach: (fn: () => Promise<void>) => void;
  afterAll: (fn: () => void) => void;
  cleanup: () => void;
  openStreams: () => number;
}) {
  const api = createFakeApi();
  hooks.beforeAll(() => api.server.listen({ onUnhandledRequest: 'error' }));
  hooks.afterEach(async () => {
    hooks.cleanup();
    await streamsClosed(hooks.openStreams);
    api.server.resetHandlers();
    api.reset();
  });
  hooks.afterAll(() => api.server.close());
  return api;
}
