/**
 * What a third party may rely on: the entry points of the three packages and the names each one
 * exports at run time and as types. The scenarios load every entry the packed exports maps list
 * (so a new entry is covered without a change here) and demand at least these names.
 */

/** Runtime exports, by import specifier. */
export const RUNTIME_EXPORTS: Record<string, readonly string[]> = {
  '@aivah/credits': [
    'createCreditsClient',
    'formatCredits',
    'formatMoney',
    'isCreditsError',
    'isInsufficientCreditsError',
    'CreditsError',
    'CreditsAPIError',
    'CreditsConnectionError',
    'CreditsTimeoutError',
    'InsufficientCreditsError',
  ],
  '@aivah/credits-react': [
    'CreditsProvider',
    'useBalance',
    'useConsume',
    'useCreditPackages',
    'useBuyCredits',
    'useCheckoutResult',
    'useLedger',
    'useUsageSummary',
    'useAlertSettings',
    'usePlan',
    'usePlans',
    'useInsufficientCredits',
    'useBuyCreditsDialog',
  ],
  '@aivah/credits-node': [
    'createCreditsHandler',
    'createServerKeyIdentify',
    'toNodeHandler',
    'toExpressMiddleware',
    'toNextRouteHandlers',
    'createMemoryLedger',
    'createWebhookDispatcher',
    'verifyWebhook',
    'signWebhook',
    'startRetention',
    'startPlanScheduler',
    'definePlans',
    'defaultPlans',
    'createTokenBucketRateLimit',
    'createLedgerRateLimit',
    'rateLimitFrom',
    'defaultCatalogue',
    'HttpProblem',
    'LedgerError',
  ],
  '@aivah/credits-node/postgres': ['createPostgresLedger', 'isConnectionError'],
  '@aivah/credits-node/pglite': ['createPgliteLedger'],
  '@aivah/credits-node/stripe': ['createStripeClient'],
  '@aivah/credits-node/emulator': ['createCheckoutEmulator'],
  '@aivah/credits-node/testing': ['runLedgerAdapterSuite', 'stripeMswHandlers', 'signStripeEvent', 'stripeEvent'],
};

/**
 * Names the main server entry must not export: the drivers' adapters belong to their own entries
 * (so that `.` loads without pg, PGlite or Stripe), test helpers to `/testing`, and the rest are
 * internals that would freeze the implementation if published.
 */
export const NOT_IN_SERVER_MAIN = [
  'createPostgresLedger',
  'createPgliteLedger',
  'createCheckoutEmulator',
  'runLedgerAdapterSuite',
  'MIGRATIONS',
  'applyMigrations',
  'hashRequest',
  'stableStringify',
  'createSqlLedger',
  'compareConsumptionOrder',
] as const;

/** Type-only exports a typed integration names, by specifier. */
export const TYPE_EXPORTS: Record<string, readonly string[]> = {
  '@aivah/credits': ['CreditsClient', 'CreditsClientOptions', 'Balance', 'CreditPackage', 'CheckoutSession', 'Consumption', 'ErrorCode', 'Plan', 'AccountPlan', 'PlanChange'],
  '@aivah/credits-react': ['CreditsProviderProps', 'UseBalanceResult', 'UseBuyCreditsResult'],
  '@aivah/credits-node': ['LedgerAdapter', 'CreditsHandler', 'CreditPackage', 'CreditPlan', 'LedgerPlans'],
};

/** The packages whose exports maps are read for entries. */
export const PACKAGES = ['@aivah/credits', '@aivah/credits-react', '@aivah/credits-node'] as const;
