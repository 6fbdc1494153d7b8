/**
 * msw handlers for the api.stripe.com endpoints the server uses, backed by the checkout
 * emulator's in-memory state. Lets a test run the real `stripe` client end to end offline.
 * msw is passed in (not imported) so this entry point works without msw installed.
 * @module
 */
import type { CheckoutEmulator } from '../emulator/checkout-emulator.js';
import type { StripeCheckoutCreateParams, StripePaymentIntentCreateParams, StripeSubscriptionUpdateParams } from '../stripe/stripe-like.js';

/** The two msw exports the handlers need: `import { http, HttpResponse } from 'msw'`. */
export interface MswLike {
  /** msw's `http` namespace. */
  http: {
    /** `http.get(path, resolver)`. */
    get(path: string, resolver: (info: { request: Request; params: Record<string, unknown> }) => unknown): unknown;
    /** `http.post(path, resolver)`. */
    post(path: string, resolver: (info: { request: Request; params: Record<string, unknown> }) => unknown): unknown;
  };
  /** msw's `HttpResponse`. */
  HttpResponse: {
    /** `HttpResponse.json(body, init)`. */
    json(body: unknown, init?: ResponseInit): Response;
  };
}

const NUMERIC = new Set(['unit_amount', 'quantity', 'limit', 'amount']);

/** A decoded form value: text, a number (for {@link NUMERIC} keys), a list or a nested object. */
type FormValue = string | number | FormValue[] | FormObject;
interface FormObject { [key: string]: FormValue }
type FormNode = FormObject | FormValue[];

/** The object or list at `node[part]`, made when absent. */
function child(node: FormNode, part: string, nextIsIndex: boolean): FormNode {
  const existing = Array.isArray(node) ? node[Number(part)] : node[part];
  if (typeof existing === 'object') return existing;
  if (existing !== undefined) throw new TypeError(`${part} is both a value and a nested object in the form`);
  const made: FormNode = nextIsIndex ? [] : {};
  if (Array.isArray(node)) node[Number(part)] = made;
  else node[part] = made;
  return made;
}

/**
 * Decodes Stripe's form encoding (`line_items[0][price_data][currency]=usd`) into nested objects.
 * `T` is what the server's Stripe client encoded: the params type of the emulator method the
 * request goes to. Keys in {@link NUMERIC} come back as numbers; booleans stay text (`'true'`),
 * which the emulator reads as text.
 */
export function decodeStripeForm<T extends object>(text: string): T {
  const root: FormObject = {};
  for (const [key, raw] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[');
    let node: FormNode = root;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      if (!last) {
        node = child(node, part, /^\d+$/.test(path[i + 1]!));
        return;
      }
      const value = NUMERIC.has(part) && /^\d+$/.test(raw) ? Number(raw) : raw;
      if (Array.isArray(node)) node[Number(part)] = value;
      else node[part] = value;
    });
  }
  return root as T;
}

/** The params of an emulator method that has no named params type. */
type ParamsOf<F extends (params: never, ...rest: never[]) => unknown> = Parameters<F>[0];

function stripeError(error: unknown): Response {
  const e = error as { statusCode?: number; code?: string; message?: string; type?: string; decline_code?: string; payment_intent?: unknown };
  // A refused charge is Stripe's `card_error` (402), carrying the PaymentIntent it left behind.
  if (e.type === 'StripeCardError') {
    return Response.json(
      { error: { type: 'card_error', code: e.code, decline_code: e.decline_code, message: e.message, payment_intent: e.payment_intent } },
      { status: 402 },
    );
  }
  return Response.json(
    { error: { type: 'invalid_request_error', code: e.code ?? 'api_error', message: e.message ?? 'error' } },
    { status: e.statusCode ?? 500 },
  );
}

/**
 * The handlers. Use with `setupServer(...stripeMswHandlers(emulator, { http, HttpResponse }))`.
 *
 * @example
 * import { http, HttpResponse } from 'msw';
 * import { setupServer } from 'msw/node';
 * const server = setupServer(...stripeMswHandlers(emulator, { http, HttpResponse }));
 */
export function stripeMswHandlers(emulator: CheckoutEmulator, msw: MswLike): unknown[] {
  const { http, HttpResponse } = msw;
  const base = 'https://api.stripe.com/v1';
  const guard = (run: (request: Request, params: Record<string, unknown>) => Promise<unknown>) => async ({ request, params }: { request: Request; params: Record<string, unknown> }) => {
    try {
      return HttpResponse.json(await run(request, params));
    } catch (error) {
      return stripeError(error);
    }
  };
  return [
    http.post(`${base}/checkout/sessions`, guard(async (request) => {
      const params = decodeStripeForm<StripeCheckoutCreateParams>(await request.text());
      const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
      return emulator.checkout.sessions.create(params, { idempotencyKey });
    })),
    http.get(`${base}/checkout/sessions/:id`, guard(async (_request, params) => emulator.checkout.sessions.retrieve(String(params.id)))),
    http.get(`${base}/checkout/sessions`, guard(async (request) => {
      const url = new URL(request.url);
      const list = await emulator.checkout.sessions.list({ payment_intent: url.searchParams.get('payment_intent') ?? '', limit: Number(url.searchParams.get('limit') ?? 10) });
      return { object: 'list', data: list.data, has_more: false, url: '/v1/checkout/sessions' };
    })),
    http.get(`${base}/invoices/:id`, guard(async (_request, params) => emulator.invoices.retrieve(String(params.id)))),
    http.get(`${base}/payment_intents/:id`, guard(async (request, params) => {
      // The library sends arrays as `expand[0]=latest_charge`.
      const expand = [...new URL(request.url).searchParams].filter(([k]) => k.startsWith('expand')).map(([, v]) => v);
      return emulator.paymentIntents.retrieve(String(params.id), { expand });
    })),
    http.get(`${base}/customers/search`, guard(async (request) => {
      const found = await emulator.customers.search({ query: new URL(request.url).searchParams.get('query') ?? '' });
      return { object: 'search_result', data: found.data.map((c) => ({ object: 'customer', ...c })), has_more: false, url: '/v1/customers/search' };
    })),
    // After /customers/search: msw takes the first handler that matches, and `:id` matches `search`.
    http.get(`${base}/customers/:id`, guard(async (_request, params) => ({ object: 'customer', ...(await emulator.customers.retrieve(String(params.id))) }))),
    http.post(`${base}/customers`, guard(async (request) => {
      const params = decodeStripeForm<Partial<ParamsOf<CheckoutEmulator['customers']['create']>>>(await request.text());
      const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
      return { object: 'customer', ...(await emulator.customers.create({ metadata: params.metadata ?? {} }, { idempotencyKey })) };
    })),
    http.post(`${base}/payment_intents`, guard(async (request) => {
      const params = decodeStripeForm<StripePaymentIntentCreateParams>(await request.text());
      const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
      return emulator.paymentIntents.create(params, { idempotencyKey });
    })),
    http.get(`${base}/payment_intents/:id`, guard(async (_request, params) => emulator.paymentIntents.retrieve(String(params.id)))),
    http.post(`${base}/payment_intents/:id/cancel`, guard(async (_request, params) => emulator.paymentIntents.cancel(String(params.id)))),
    http.get(`${base}/customers/:id/payment_methods`, guard(async (request, params) => {
      const limit = Number(new URL(request.url).searchParams.get('limit') ?? 10);
      const list = await emulator.customers.listPaymentMethods(String(params.id), { type: 'card', limit });
      return { object: 'list', data: list.data, has_more: false, url: `/v1/customers/${String(params.id)}/payment_methods` };
    })),
    http.get(`${base}/payment_methods/:id`, guard(async (_request, params) => emulator.paymentMethods.retrieve(String(params.id)))),
    http.post(`${base}/payment_methods/:id/detach`, guard(async (_request, params) => emulator.paymentMethods.detach(String(params.id)))),
    http.get(`${base}/subscriptions/:id`, guard(async (_request, params) => emulator.subscriptions.retrieve(String(params.id)))),
    http.post(`${base}/subscriptions/:id`, guard(async (request, params) => {
      const form = decodeStripeForm<StripeSubscriptionUpdateParams>(await request.text());
      const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
      // Sent as text (`cancel_at_period_end=true`).
      const cancel = form.cancel_at_period_end === undefined ? {} : { cancel_at_period_end: String(form.cancel_at_period_end) === 'true' };
      return emulator.subscriptions.update(String(params.id), { ...form, ...cancel }, { idempotencyKey });
    })),
    http.get(`${base}/invoice_payments`, guard(async (request) => {
      const query = decodeStripeForm<ParamsOf<CheckoutEmulator['invoicePayments']['list']>>(new URL(request.url).search.slice(1));
      const list = await emulator.invoicePayments.list(query);
      return { object: 'list', data: list.data, has_more: false, url: '/v1/invoice_payments' };
    })),
    http.get(`${base}/products/:id`, guard(async (_request, params) => emulator.products.retrieve(String(params.id)))),
    http.post(`${base}/products`, guard(async (request) => {
      const params = decodeStripeForm<ParamsOf<CheckoutEmulator['products']['create']>>(await request.text());
      return emulator.products.create({ id: params.id, name: params.name, metadata: params.metadata ?? {} });
    })),
    http.post(`${base}/billing_portal/sessions`, guard(async (request) => {
      const params = decodeStripeForm<ParamsOf<CheckoutEmulator['billingPortal']['sessions']['create']>>(await request.text());
      return { object: 'billing_portal.session', ...(await emulator.billingPortal.sessions.create({ customer: params.customer, return_url: params.return_url })) };
    })),
  ];
}
