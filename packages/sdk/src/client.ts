import { subscribeBalance, type BalanceSubscribeOptions } from './internal/balance-stream.js';
import { createTransport } from './internal/fetch-wrapper.js';
import { createCall, createRawCall, expand } from './internal/operation-call.js';
import { PagePromise } from './internal/pagination.js';
import type { Balance, OperationBody, OperationQuery, OperationResult } from './types.js';

export type { BalanceSubscribeOptions, BalanceStreamStatus } from './internal/balance-stream.js';
export { PagePromise } from './internal/pagination.js';

/** Options of {@link createCreditsClient}. */
export interface CreditsClientOptions {
  /** The server hosting the API, e.g. `https://api.example.com` (paths start with `/v1`). */
  baseUrl: string;
  /** A server key (`sk_…`), sent as `Authorization: Bearer`. Never ship one to a browser. */
  apiKey?: string;
  /** Returns the bearer token for each request (browser sessions); used when `apiKey` is absent. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** A `fetch` implementation (tests, proxies); defaults to the global one. */
  fetch?: typeof fetch;
  /**
   * Retries of answers that can succeed on a second try: network errors, timeouts, 408, 409
   * `IDEMPOTENCY_KEY_IN_USE`, 429 `RATE_LIMITED`, 5xx `INTERNAL_ERROR` / `SERVICE_UNAVAILABLE` /
   * `PAYMENT_PROVIDER_ERROR` and a proxy's bare 502/503/504. Default 2.
   */
  maxRetries?: number;
  /** Per-attempt timeout until the response headers arrive, in ms; `0` turns it off. Default 60000. */
  timeoutMs?: number;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/** Per-call options, the last argument of every method. */
export interface RequestOptions {
  /** The `Idempotency-Key` of a POST/PUT; by default a fresh UUID per call, reused on its retries. */
  idempotencyKey?: string;
  /** Aborts the call; it then rejects with the signal's reason (a `DOMException` named `AbortError`). */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

/** The typed client returned by {@link createCreditsClient}. Every `accountId` may be `'me'`. */
export interface CreditsClient {
  /** The balance of an account, read once or followed live. */
  balance: {
    /**
     * The balance of an account (default `'me'`).
     * @example const { available, held } = await client.balance.get('me');
     */
    get(accountId?: string, opts?: RequestOptions): Promise<OperationResult<'getBalance'>>;
    /**
     * Live balance over Server-Sent Events (via `fetch` streaming, so it also runs on Node 20):
     * `onUpdate` gets the current balance at once and every change after it; the stream
     * reconnects with backoff and `Last-Event-ID`. Returns the unsubscribe function.
     * @example
     * const stop = client.balance.subscribe('me', (b) => render(formatCredits(b.available)), {
     *   onStatus: (s) => console.log(s), // connecting → open → reconnecting → open … closed
     * });
     * stop();
     */
    subscribe(accountId: string, onUpdate: (balance: Balance) => void, opts?: BalanceSubscribeOptions): () => void;
  };
  /** The server catalogue of credit packages. */
  packages: {
    /** The server's package catalogue, cheapest first (the `data` of `listCreditPackages`). */
    list(opts?: RequestOptions): Promise<OperationResult<'listCreditPackages'>['data']>;
  };
  /** Stripe Checkout for a package, and the return page. */
  checkout: {
    /**
     * Starts a Stripe Checkout for a package; redirect the browser to the session's `url`.
     * @example
     * const { url } = await client.checkout.create('me', { packageId: 'credits_2000' });
     * if (url) location.assign(url);
     */
    create(accountId: string, body: OperationBody<'createCheckoutSession'>, opts?: RequestOptions): Promise<OperationResult<'createCheckoutSession'>>;
    /** Reads a checkout session (and fulfils it when paid); poll until `fulfilled`. */
    get(accountId: string, sessionId: string, opts?: RequestOptions): Promise<OperationResult<'getCheckoutSession'>>;
  };
  /** Spending credits now. */
  consumptions: {
    /**
     * Spends credits now; a 402 rejects with `InsufficientCreditsError` and nothing is deducted.
     * @example
     * await client.consumptions.create('acct_123', { amount: 5, feature: 'conversation' }, { idempotencyKey: messageId });
     */
    create(accountId: string, body: OperationBody<'consumeCredits'>, opts?: RequestOptions): Promise<OperationResult<'consumeCredits'>>;
  };
  /** Reserving credits for a session or call, then capturing or releasing them. */
  holds: {
    /**
     * Reserves credits for a session or call; capture what was used when it ends.
     * @example
     * const hold = await client.holds.create('acct_123', { amount: 300, feature: 'call' });
     * await client.holds.capture('acct_123', hold.id, { amount: 120 });
     */
    create(accountId: string, body: OperationBody<'createHold'>, opts?: RequestOptions): Promise<OperationResult<'createHold'>>;
    /** Spends up to the held amount and releases the rest. */
    capture(accountId: string, holdId: string, body: OperationBody<'captureHold'>, opts?: RequestOptions): Promise<OperationResult<'captureHold'>>;
    /** Releases a hold without spending. */
    release(accountId: string, holdId: string, opts?: RequestOptions): Promise<OperationResult<'releaseHold'>>;
  };
  /** The immutable history of an account, newest first. */
  ledger: {
    /**
     * The first page (`await`) or every entry (`for await`), newest first.
     * @example
     * const { data, hasMore } = await client.ledger.list('me', { limit: 20 });
     * for await (const entry of client.ledger.list('me', { type: 'consume' })) console.log(entry.amount);
     */
    list(
      accountId: string,
      query?: Omit<OperationQuery<'listLedgerEntries'>, 'cursor'>,
      opts?: RequestOptions,
    ): PagePromise<OperationResult<'listLedgerEntries'>['data'][number], OperationResult<'listLedgerEntries'>>;
    /** One page of entries after `cursor`. */
    page(accountId: string, query?: OperationQuery<'listLedgerEntries'>, opts?: RequestOptions): Promise<OperationResult<'listLedgerEntries'>>;
    /**
     * The entries of `[from, to)` (default: everything until now) as CSV, the audit trail. Resolves
     * with the `Response` once the server started answering, its body unread: stream it (Node:
     * `Readable.fromWeb(res.body)`) or read it whole (`await res.blob()` in a browser). Its
     * `Content-Disposition` names the file. The columns and the escaping are in the API reference.
     * @example
     * const res = await client.ledger.exportCsv('me', { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' });
     * await pipeline(Readable.fromWeb(res.body!), createWriteStream('ledger-november.csv'));
     */
    exportCsv(accountId: string, query?: OperationQuery<'exportLedgerEntries'>, opts?: RequestOptions): Promise<Response>;
  };
  /** Fulfilled purchases with their Stripe receipts, newest first. */
  purchases: {
    /**
     * The first page (`await`) or every purchase (`for await`), newest first.
     * @example
     * for await (const p of client.purchases.list('me')) console.log(p.packageId, p.amountTotal, p.receiptUrl);
     */
    list(
      accountId: string,
      query?: Omit<OperationQuery<'listPurchases'>, 'cursor'>,
      opts?: RequestOptions,
    ): PagePromise<OperationResult<'listPurchases'>['data'][number], OperationResult<'listPurchases'>>;
    /** One page of purchases after `cursor`. */
    page(accountId: string, query?: OperationQuery<'listPurchases'>, opts?: RequestOptions): Promise<OperationResult<'listPurchases'>>;
  };
  /** Adding credits. */
  grants: {
    /** Adds credits (server keys with `credits:grant`). */
    create(accountId: string, body: OperationBody<'createGrant'>, opts?: RequestOptions): Promise<OperationResult<'createGrant'>>;
  };
  /** Usage by day and feature, with a forecast. */
  usage: {
    /** Usage by day and feature over the last `days` days (default 30), with a forecast. */
    get(accountId: string, query?: OperationQuery<'getUsageSummary'>, opts?: RequestOptions): Promise<OperationResult<'getUsageSummary'>>;
  };
  /** Low-balance alert settings. */
  alerts: {
    /** The low-balance alert settings. */
    get(accountId: string, opts?: RequestOptions): Promise<OperationResult<'getAlertSettings'>>;
    /** Replaces the low-balance alert settings. */
    update(accountId: string, body: OperationBody<'updateAlertSettings'>, opts?: RequestOptions): Promise<OperationResult<'updateAlertSettings'>>;
  };
  /** Cards stored on the account's Stripe customer (Checkout saves them). */
  paymentMethods: {
    /** The stored cards, newest first (the first is what `payments.create` charges by default). */
    list(accountId: string, opts?: RequestOptions): Promise<OperationResult<'listPaymentMethods'>['data']>;
    /** Removes a stored card: it is never charged again. */
    remove(accountId: string, paymentMethodId: string, opts?: RequestOptions): Promise<OperationResult<'deletePaymentMethod'>>;
  };
  /** One-click purchases with a stored card. */
  payments: {
    /**
     * Buys a package with a stored card, off-session. Check `status`: `succeeded` (credited),
     * `processing`, `requires_action` (send the browser to `nextActionUrl`) or `failed`.
     *
     * @example
     * const payment = await credits.payments.create('me', { packageId: 'credits_5000' });
     * if (payment.status === 'requires_action') location.assign(payment.nextActionUrl!);
     */
    create(accountId: string, body: OperationBody<'createPayment'>, opts?: RequestOptions): Promise<OperationResult<'createPayment'>>;
    /** Reads a one-click payment (and credits it when it succeeded). */
    get(accountId: string, paymentId: string, opts?: RequestOptions): Promise<OperationResult<'getPayment'>>;
  };
  /** Automatic top-up when credits run low. */
  autoTopUp: {
    /** The settings, this month's use of the cap, the latest top-up and the in-app `notice`. */
    get(accountId: string, opts?: RequestOptions): Promise<OperationResult<'getAutoTopUp'>>;
    /** Replaces the settings (turning it on needs a stored card). */
    update(accountId: string, body: OperationBody<'updateAutoTopUp'>, opts?: RequestOptions): Promise<OperationResult<'updateAutoTopUp'>>;
  };
  /** Plans: included credits that renew every period, roll over up to a cap, and warn before they expire. */
  plans: {
    /** The server's plan catalogue, cheapest first (the `data` of `listPlans`). */
    list(opts?: RequestOptions): Promise<OperationResult<'listPlans'>['data']>;
    /**
     * The account's plan, period, renewal date and allowance (default `'me'`).
     * @example const { plan, renewsAt, allowance } = await client.plans.get('me');
     */
    get(accountId?: string, opts?: RequestOptions): Promise<OperationResult<'getPlan'>>;
    /**
     * Moves the account to a catalogue plan: a first plan or an upgrade takes effect at once (an
     * upgrade grants the prorated difference), a downgrade at the period end; a paid plan chosen
     * in a browser answers `effective: 'checkout'` with the `checkoutUrl` to pay at.
     * @example await client.plans.change('me', { planId: 'pro' });
     */
    change(accountId: string, body: OperationBody<'changePlan'>, opts?: RequestOptions): Promise<OperationResult<'changePlan'>>;
  };
  /** The Stripe billing portal. */
  billingPortal: {
    /** A short-lived Stripe billing portal URL. */
    create(
      accountId: string,
      body?: OperationBody<'createBillingPortalSession'>,
      opts?: RequestOptions,
    ): Promise<OperationResult<'createBillingPortalSession'>>;
  };
}

/**
 * Creates a typed client for the Aivah Credits API.
 *
 * @example
 * import { createCreditsClient, formatCredits } from '@aivah/credits';
 *
 * const credits = createCreditsClient({ baseUrl: 'http://localhost:8787', apiKey: process.env.CREDITS_SECRET_KEY });
 * const balance = await credits.balance.get('acct_123');
 * console.log(formatCredits(balance.available)); // "2,341 Credits"
 */
export function createCreditsClient(options: CreditsClientOptions): CreditsClient {
  const send = createTransport(options);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const call = createCall(send, baseUrl);
  const raw = createRawCall(send, baseUrl);
  const page: CreditsClient['ledger']['page'] = (accountId, query, opts) =>
    call('GET', '/v1/accounts/{accountId}/ledger', { path: { accountId }, query }, opts);
  const purchasesPage: CreditsClient['purchases']['page'] = (accountId, query, opts) =>
    call('GET', '/v1/accounts/{accountId}/purchases', { path: { accountId }, query }, opts);

  return {
    balance: {
      get: (accountId = 'me', opts) => call('GET', '/v1/accounts/{accountId}/balance', { path: { accountId } }, opts),
      subscribe: (accountId, onUpdate, opts) =>
        subscribeBalance(send, baseUrl + expand('/v1/accounts/{accountId}/balance/stream', { accountId }), onUpdate, opts),
    },
    packages: {
      list: async (opts) => (await call('GET', '/v1/packages', {}, opts)).data,
    },
    checkout: {
      create: (accountId, body, opts) => call('POST', '/v1/accounts/{accountId}/checkout-sessions', { path: { accountId }, body }, opts),
      get: (accountId, sessionId, opts) =>
        call('GET', '/v1/accounts/{accountId}/checkout-sessions/{sessionId}', { path: { accountId, sessionId } }, opts),
    },
    consumptions: {
      create: (accountId, body, opts) => call('POST', '/v1/accounts/{accountId}/consumptions', { path: { accountId }, body }, opts),
    },
    holds: {
      create: (accountId, body, opts) => call('POST', '/v1/accounts/{accountId}/holds', { path: { accountId }, body }, opts),
      capture: (accountId, holdId, body, opts) =>
        call('POST', '/v1/accounts/{accountId}/holds/{holdId}/capture', { path: { accountId, holdId }, body }, opts),
      release: (accountId, holdId, opts) => call('POST', '/v1/accounts/{accountId}/holds/{holdId}/release', { path: { accountId, holdId } }, opts),
    },
    ledger: {
      list: (accountId, query, opts) => new PagePromise((cursor) => page(accountId, cursor ? { ...query, cursor } : query, opts)),
      page,
      exportCsv: (accountId, query, opts) => raw('/v1/accounts/{accountId}/ledger/export', { path: { accountId }, query }, 'text/csv', opts),
    },
    purchases: {
      list: (accountId, query, opts) => new PagePromise((cursor) => purchasesPage(accountId, cursor ? { ...query, cursor } : query, opts)),
      page: purchasesPage,
    },
    grants: {
      create: (accountId, body, opts) => call('POST', '/v1/accounts/{accountId}/grants', { path: { accountId }, body }, opts),
    },
    usage: {
      get: (accountId, query, opts) => call('GET', '/v1/accounts/{accountId}/usage', { path: { accountId }, query }, opts),
    },
    alerts: {
      get: (accountId, opts) => call('GET', '/v1/accounts/{accountId}/alert-settings', { path: { accountId } }, opts),
      update: (accountId, body, opts) => call('PUT', '/v1/accounts/{accountId}/alert-settings', { path: { accountId }, body }, opts),
    },
    paymentMethods: {
      list: async (accountId, opts) => (await call('GET', '/v1/accounts/{accountId}/payment-methods', { path: { accountId } }, opts)).data,
      remove: (accountId, paymentMethodId, opts) =>
        call('DELETE', '/v1/accounts/{accountId}/payment-methods/{paymentMethodId}', { path: { accountId, paymentMethodId } }, opts),
    },
    payments: {
      create: (accountId, body, opts) => call('POST', '/v1/accounts/{accountId}/payments', { path: { accountId }, body }, opts),
      get: (accountId, paymentId, opts) => call('GET', '/v1/accounts/{accountId}/payments/{paymentId}', { path: { accountId, paymentId } }, opts),
    },
    autoTopUp: {
      get: (accountId, opts) => call('GET', '/v1/accounts/{accountId}/auto-top-up', { path: { accountId } }, opts),
      update: (accountId, body, opts) => call('PUT', '/v1/accounts/{accountId}/auto-top-up', { path: { accountId }, body }, opts),
    },
    plans: {
      list: async (opts) => (await call('GET', '/v1/plans', {}, opts)).data,
      get: (accountId = 'me', opts) => call('GET', '/v1/accounts/{accountId}/plan', { path: { accountId } }, opts),
      change: (accountId, body, opts) => call('PUT', '/v1/accounts/{accountId}/plan', { path: { accountId }, body }, opts),
    },
    billingPortal: {
      // An empty object rather than no body: the operation takes JSON, and `{}` means "no return URL".
      create: (accountId, body, opts) =>
        call('POST', '/v1/accounts/{accountId}/billing-portal-sessions', { path: { accountId }, body: body ?? {} }, opts),
    },
  };
}
