/**
 * `@aivah/credits`: the typed client of the Aivah Credits API.
 *
 * @example
 * import { createCreditsClient, isInsufficientCreditsError } from '@aivah/credits';
 * const credits = createCreditsClient({ baseUrl: '/', getToken: () => session.token });
 * await credits.consumptions.create('me', { amount: 5, feature: 'conversation' });
 *
 * @packageDocumentation
 */
export { createCreditsClient, PagePromise } from './client.js';
export type {
  BalanceStreamStatus,
  BalanceSubscribeOptions,
  CreditsClient,
  CreditsClientOptions,
  RequestOptions,
} from './client.js';
export {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  CreditsAPIError,
  CreditsConnectionError,
  CreditsError,
  CreditsTimeoutError,
  InsufficientCreditsError,
  InternalServerError,
  isCreditsError,
  isInsufficientCreditsError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from './errors.js';
export type { ProblemDetails } from './errors.js';
export { formatCredits, formatMoney } from './format.js';
export { errorFromResponse } from './internal/error-mapping.js';
export type { CursorPage } from './internal/pagination.js';
export type { components, operations, paths, webhooks } from './generated/openapi.js';
export type {
  AccountPlan,
  AlertSettings,
  AlertSettingsUpdate,
  Balance,
  BillingPortalSession,
  CheckoutSession,
  Consumption,
  ConsumptionCreate,
  CreditPackage,
  EntryType,
  ErrorCode,
  ExpiringCredits,
  Feature,
  GrantCreate,
  GrantResult,
  GrantSource,
  Hold,
  HoldCapture,
  HoldCreate,
  LedgerEntry,
  LedgerEntryPage,
  Money,
  OperationBody,
  OperationQuery,
  OperationResult,
  Plan,
  PlanAllowance,
  PlanChange,
  PlanChangeCreate,
  Problem,
  Purchase,
  PurchasePage,
  PurchaseStatus,
  UsageSummary,
  PaymentMethod,
  PaymentCreate,
  Payment,
  AutoTopUp,
  AutoTopUpUpdate,
  AutoTopUpNotice,
  TopUp,
} from './types.js';
