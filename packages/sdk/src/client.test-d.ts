import { describe, expectTypeOf, it } from 'vitest';
import type { components, operations } from './generated/openapi.js';
import type { Call } from './internal/operation-call.js';
import type {
  AccountPlan,
  AlertSettings,
  Balance,
  BillingPortalSession,
  CheckoutSession,
  Consumption,
  CreditPackage,
  CreditsClient,
  GrantResult,
  Hold,
  LedgerEntry,
  LedgerEntryPage,
  OperationBody,
  OperationResult,
  PagePromise,
  Purchase,
  PurchasePage,
  Plan,
  PlanChange,
  UsageSummary,
} from './index.js';

type Schemas = components['schemas'];
declare const client: CreditsClient;
declare const call: Call;

describe('bodies and queries are the spec operations’ own types', () => {
  it('each body parameter is the operation’s request body', () => {
    expectTypeOf(client.checkout.create).parameter(1).toEqualTypeOf<Schemas['CheckoutSessionCreate']>();
    expectTypeOf(client.consumptions.create).parameter(1).toEqualTypeOf<Schemas['ConsumptionCreate']>();
    expectTypeOf(client.holds.create).parameter(1).toEqualTypeOf<Schemas['HoldCreate']>();
    expectTypeOf(client.holds.capture).parameter(2).toEqualTypeOf<Schemas['HoldCapture']>();
    expectTypeOf(client.grants.create).parameter(1).toEqualTypeOf<Schemas['GrantCreate']>();
    expectTypeOf(client.alerts.update).parameter(1).toEqualTypeOf<Schemas['AlertSettingsUpdate']>();
    expectTypeOf(client.payments.create).parameter(1).toEqualTypeOf<Schemas['PaymentCreate']>();
    expectTypeOf(client.autoTopUp.update).parameter(1).toEqualTypeOf<Schemas['AutoTopUpUpdate']>();
    expectTypeOf(client.paymentMethods.list).returns.resolves.toEqualTypeOf<Schemas['PaymentMethod'][]>();
    // The portal body is optional in the spec, and so it is here.
    expectTypeOf(client.billingPortal.create).parameter(1).toEqualTypeOf<Schemas['BillingPortalSessionCreate'] | undefined>();
  });

  it('each query is the operation’s query parameters', () => {
    expectTypeOf(client.ledger.page).parameter(1).toEqualTypeOf<NonNullable<operations['listLedgerEntries']['parameters']['query']> | undefined>();
    expectTypeOf(client.usage.get).parameter(1).toEqualTypeOf<NonNullable<operations['getUsageSummary']['parameters']['query']> | undefined>();
  });

  it('rejects a wrong body at compile time', () => {
    // @ts-expect-error amount is an integer, not a string
    void client.consumptions.create('me', { amount: '5', feature: 'conversation' });
    // @ts-expect-error feature is required
    void client.consumptions.create('me', { amount: 5 });
    // @ts-expect-error the spec has no `credits` field on a consumption
    void client.consumptions.create('me', { amount: 5, feature: 'conversation', credits: 5 });
    // @ts-expect-error the browser sends a packageId only: the price is the server's
    void client.checkout.create('me', { packageId: 'credits_2000', price: 1 });
    // @ts-expect-error a one-click purchase is priced by the server too
    void client.payments.create('me', { packageId: 'credits_2000', amount: 1000 });
    // @ts-expect-error auto top-up needs the package it buys
    void client.autoTopUp.update('me', { enabled: true, mode: 'absolute', threshold: 500 });
    // @ts-expect-error `gift` is not a GrantSource
    void client.grants.create('acct_1', { amount: 10, source: 'gift' });
    // @ts-expect-error a capture needs the amount
    void client.holds.capture('me', 'hold_1', {});
    // @ts-expect-error the alert mode is `absolute` or `usage_percent`
    void client.alerts.update('me', { mode: 'percent' });
    // @ts-expect-error limit is a number
    void client.ledger.list('me', { limit: '20' });
    // @ts-expect-error a list starts at the first page: no cursor
    void client.ledger.list('me', { cursor: 'c1' });
    // @ts-expect-error `type` is an EntryType
    void client.ledger.page('me', { type: 'refund' });
    // @ts-expect-error the usage window is `days`
    void client.usage.get('me', { weeks: 2 });
  });
});

describe('results are the spec operations’ success bodies', () => {
  it('each method resolves with its operation’s result, the schema exported by name', () => {
    expectTypeOf(client.balance.get).returns.resolves.toEqualTypeOf<OperationResult<'getBalance'>>();
    expectTypeOf(client.balance.get).returns.resolves.toEqualTypeOf<Balance>();
    expectTypeOf(client.packages.list).returns.resolves.toEqualTypeOf<CreditPackage[]>();
    expectTypeOf(client.checkout.create).returns.resolves.toEqualTypeOf<CheckoutSession>();
    expectTypeOf(client.checkout.get).returns.resolves.toEqualTypeOf<CheckoutSession>();
    expectTypeOf(client.consumptions.create).returns.resolves.toEqualTypeOf<Consumption>();
    expectTypeOf(client.holds.create).returns.resolves.toEqualTypeOf<Hold>();
    expectTypeOf(client.holds.capture).returns.resolves.toEqualTypeOf<Hold>();
    expectTypeOf(client.holds.release).returns.resolves.toEqualTypeOf<Hold>();
    expectTypeOf(client.ledger.page).returns.resolves.toEqualTypeOf<LedgerEntryPage>();
    expectTypeOf(client.ledger.list).returns.toEqualTypeOf<PagePromise<LedgerEntry, LedgerEntryPage>>();
    expectTypeOf(client.grants.create).returns.resolves.toEqualTypeOf<GrantResult>();
    expectTypeOf(client.usage.get).returns.resolves.toEqualTypeOf<UsageSummary>();
    expectTypeOf(client.alerts.get).returns.resolves.toEqualTypeOf<AlertSettings>();
    expectTypeOf(client.alerts.update).returns.resolves.toEqualTypeOf<AlertSettings>();
    expectTypeOf(client.billingPortal.create).returns.resolves.toEqualTypeOf<BillingPortalSession>();
    expectTypeOf(client.purchases.page).returns.resolves.toEqualTypeOf<PurchasePage>();
    expectTypeOf(client.purchases.list).returns.toEqualTypeOf<PagePromise<Purchase, PurchasePage>>();
    expectTypeOf(client.ledger.exportCsv).returns.resolves.toEqualTypeOf<Response>();
  });

  it('types purchases and the CSV export from their operations', () => {
    expectTypeOf(client.purchases.page).parameter(1).toEqualTypeOf<NonNullable<operations['listPurchases']['parameters']['query']> | undefined>();
    expectTypeOf(client.ledger.exportCsv).parameter(1).toEqualTypeOf<NonNullable<operations['exportLedgerEntries']['parameters']['query']> | undefined>();
    expectTypeOf<Purchase['receiptUrl']>().toEqualTypeOf<string | null>();
    expectTypeOf<Purchase['status']>().toEqualTypeOf<'paid' | 'partially_refunded' | 'refunded' | 'disputed'>();
    // @ts-expect-error the export range is `from` and `to`, not `since`
    void client.ledger.exportCsv('me', { since: '2026-11-01T00:00:00Z' });
    // @ts-expect-error `from` is an ISO date-time string
    void client.ledger.exportCsv('me', { from: new Date() });
    // @ts-expect-error a purchases list starts at the first page: no cursor
    void client.purchases.list('me', { cursor: 'c1' });
    // @ts-expect-error a purchase has no `price` (it has amountTotal and currency)
    void (async () => (await client.purchases.page('me')).data[0]!.price)();
  });

  it('rejects a wrong result type at compile time', async () => {
    // @ts-expect-error a balance is not a hold
    const hold: Hold = await client.balance.get('me');
    // @ts-expect-error `available` is a number
    const available: string = (await client.balance.get('me')).available;
    // @ts-expect-error a consumption has no `credits` field
    void (await client.consumptions.create('me', { amount: 1, feature: 'call' })).credits;
    void hold;
    void available;
  });

  it('OperationBody is the request body by operationId', () => {
    expectTypeOf<OperationBody<'consumeCredits'>>().toEqualTypeOf<Schemas['ConsumptionCreate']>();
    expectTypeOf<OperationBody<'createBillingPortalSession'>>().toEqualTypeOf<Schemas['BillingPortalSessionCreate'] | undefined>();
  });
});

describe('a method wired to the wrong operation does not compile', () => {
  // The readable methods are one line each through `call`, whose params, body and result are typed
  // by the method and path literal: the same wiring mistakes, made here, must be compile errors.

  it('catches a wrong path, a body for another operation and a missing path parameter', () => {
    // @ts-expect-error /v1/packages answers the catalogue, not a Balance
    const wrongPath: CreditsClient['balance']['get'] = () => call('GET', '/v1/packages', {});
    // @ts-expect-error a consumption body is not a grant body (and a grant result is not a Consumption)
    const wrongOperation: CreditsClient['consumptions']['create'] = (accountId, body) => call('POST', '/v1/accounts/{accountId}/grants', { path: { accountId }, body });
    // @ts-expect-error the path has an {accountId}
    void call('GET', '/v1/accounts/{accountId}/balance', {});
    // @ts-expect-error consumptions have no GET
    void call('GET', '/v1/accounts/{accountId}/consumptions', { path: { accountId: 'me' } });
    // @ts-expect-error a consumption needs its body
    void call('POST', '/v1/accounts/{accountId}/consumptions', { path: { accountId: 'me' } });
    void wrongPath;
    void wrongOperation;
  });

  it('accepts the right wiring', () => {
    const right: CreditsClient['holds']['capture'] = (accountId, holdId, body, opts) =>
      call('POST', '/v1/accounts/{accountId}/holds/{holdId}/capture', { path: { accountId, holdId }, body }, opts);
    expectTypeOf(right).returns.resolves.toEqualTypeOf<Hold>();
  });
});

describe('plans', () => {
  it('list, get and change are typed from listPlans, getPlan and changePlan', () => {
    expectTypeOf(client.plans.list).returns.resolves.toEqualTypeOf<Plan[]>();
    expectTypeOf(client.plans.get).returns.resolves.toEqualTypeOf<AccountPlan>();
    expectTypeOf(client.plans.change).parameter(1).toEqualTypeOf<Schemas['PlanChangeCreate']>();
    expectTypeOf(client.plans.change).returns.resolves.toEqualTypeOf<PlanChange>();
  });

  it('a wrong plan change body fails to compile', () => {
    // @ts-expect-error planId is required
    void client.plans.change('me', {});
    // @ts-expect-error a plan is named by its id, never priced by the client
    void client.plans.change('me', { planId: 'pro', price: 0 });
    // @ts-expect-error planId is a string
    void client.plans.change('me', { planId: 3 });
  });

  it('the balance says which credits expire next', () => {
    expectTypeOf<Balance['expiringNext']>().toEqualTypeOf<Schemas['ExpiringCredits'] | null | undefined>();
  });
});
