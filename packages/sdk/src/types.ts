import type { OperationRequestBodyContent, SuccessResponseJSON } from 'openapi-typescript-helpers';
import type { components, operations } from './generated/openapi.js';

/**
 * The JSON request body of an operation of the spec, by `operationId` (`undefined` is allowed where the
 * body is optional). Every SDK method's body is typed with it.
 *
 * @example
 * const body: OperationBody<'consumeCredits'> = { amount: 5, feature: 'conversation' };
 */
export type OperationBody<K extends keyof operations> = OperationRequestBodyContent<operations[K]>;

/**
 * The JSON body of an operation's success answer, by `operationId`. Every SDK method resolves with it.
 *
 * @example
 * const balance: OperationResult<'getBalance'> = await client.balance.get('me');
 */
export type OperationResult<K extends keyof operations> = SuccessResponseJSON<operations[K]>;

/** The query parameters of an operation, by `operationId` (`never` for an operation without any). */
export type OperationQuery<K extends keyof operations> = NonNullable<operations[K]['parameters']['query']>;

/** The available and held credits of an account, with its unexpired grants. */
export type Balance = components['schemas']['Balance'];
/** A one-off package of credits from the server catalogue. */
export type CreditPackage = components['schemas']['CreditPackage'];
/** A Stripe Checkout Session for a package, and whether its credits were added. */
export type CheckoutSession = components['schemas']['CheckoutSession'];
/** The result of spending credits: the ledger entry and the new balance. */
export type Consumption = components['schemas']['Consumption'];
/** A reservation of credits for a session or call. */
export type Hold = components['schemas']['Hold'];
/** One immutable change of an account's credits. */
export type LedgerEntry = components['schemas']['LedgerEntry'];
/** One page of ledger entries, newest first. */
export type LedgerEntryPage = components['schemas']['LedgerEntryPage'];
/** A created grant with its ledger entry and the new balance. */
export type GrantResult = components['schemas']['GrantResult'];
/** Usage by day and feature, with a forecast. */
export type UsageSummary = components['schemas']['UsageSummary'];
/** When `balance.low` fires. */
export type AlertSettings = components['schemas']['AlertSettings'];
/** New alert settings. */
export type AlertSettingsUpdate = components['schemas']['AlertSettingsUpdate'];
/** A Stripe billing portal session to redirect to. */
export type BillingPortalSession = components['schemas']['BillingPortalSession'];
/** An RFC 9457 problem as the spec defines it. */
export type Problem = components['schemas']['Problem'];
/** The stable error codes of the API. */
export type ErrorCode = components['schemas']['ErrorCode'];
/** The kind of a ledger entry. */
export type EntryType = components['schemas']['EntryType'];
/** What credits are spent on: `conversation`, `media_generation`, `call`, or an app's own name. */
export type Feature = components['schemas']['Feature'];
/** Where a grant's credits came from. */
export type GrantSource = components['schemas']['GrantSource'];
/** Credits to spend. */
export type ConsumptionCreate = components['schemas']['ConsumptionCreate'];
/** Credits to reserve. */
export type HoldCreate = components['schemas']['HoldCreate'];
/** Credits to capture from a hold. */
export type HoldCapture = components['schemas']['HoldCapture'];
/** Credits to add. */
export type GrantCreate = components['schemas']['GrantCreate'];
/** A money amount in minor units. */
export type Money = components['schemas']['Money'];

/** A plan of the catalogue: credits included every period. */
export type Plan = components['schemas']['Plan'];
/** An account's plan, period, renewal and allowance (`getPlan`). */
export type AccountPlan = components['schemas']['AccountPlan'];
/** The plan credits of the current period. */
export type PlanAllowance = components['schemas']['PlanAllowance'];
/** What a plan change did (`changePlan`). */
export type PlanChange = components['schemas']['PlanChange'];
/** The body of `changePlan`. */
export type PlanChangeCreate = components['schemas']['PlanChangeCreate'];
/** The credits that expire next, and when (`Balance.expiringNext`). */
export type ExpiringCredits = components['schemas']['ExpiringCredits'];
/** A card stored on the account's Stripe customer (only the last four digits). */
export type PaymentMethod = components['schemas']['PaymentMethod'];
/** What a one-click purchase buys: a package, and optionally which stored card. */
export type PaymentCreate = components['schemas']['PaymentCreate'];
/** A one-click purchase with a stored card, and whether its credits were added. */
export type Payment = components['schemas']['Payment'];
/** Auto top-up settings and state, with the in-app notice. */
export type AutoTopUp = components['schemas']['AutoTopUp'];
/** New auto top-up settings. */
export type AutoTopUpUpdate = components['schemas']['AutoTopUpUpdate'];
/** The in-app notice of an auto top-up that needs the user. */
export type AutoTopUpNotice = components['schemas']['AutoTopUpNotice'];
/** One automatic top-up. */
export type TopUp = components['schemas']['TopUp'];
/** A fulfilled purchase with its Stripe receipt URL. */
export type Purchase = components['schemas']['Purchase'];
/** One page of purchases, newest first. */
export type PurchasePage = components['schemas']['PurchasePage'];
/** `paid`, `partially_refunded`, `refunded` or `disputed`. */
export type PurchaseStatus = components['schemas']['PurchaseStatus'];
