/**
 * React hooks for Aivah Credits: a live balance, the Buy Credits dialog, the checkout return page,
 * the out-of-credits toast, the ledger and its CSV export, purchases with receipts, usage insights
 * and threshold alerts.
 *
 * @packageDocumentation
 */
export { CreditsProvider, type CreditsProviderProps } from './provider.js';
export type { CreditsHookOptions } from './internal/context.js';
export type { StreamStatus } from './internal/balance-streams.js';
export { useBalance, type UseBalanceOptions, type UseBalanceResult } from './use-balance.js';
export { useConsume, type ConsumeBody, type UseConsumeOptions, type UseConsumeResult } from './use-consume.js';
export { useCreditPackages, type UseCreditPackagesResult } from './use-credit-packages.js';
export { useBuyCredits, type UseBuyCreditsOptions, type UseBuyCreditsResult } from './use-buy-credits.js';
export { useCheckoutResult, type UseCheckoutResultOptions, type UseCheckoutResult } from './use-checkout-result.js';
export type { CursorPagesState } from './internal/cursor-pages.js';
export { useLedger, type UseLedgerOptions, type UseLedgerResult } from './use-ledger.js';
export { useLedgerExport, type LedgerExportRange, type UseLedgerExportOptions, type UseLedgerExportResult } from './use-ledger-export.js';
export { usePurchases, type UsePurchasesOptions, type UsePurchasesResult } from './use-purchases.js';
export { useUsageSummary, type UseUsageSummaryOptions, type UseUsageSummaryResult } from './use-usage-summary.js';
export { usePaymentMethods, type UsePaymentMethodsOptions, type UsePaymentMethodsResult } from './use-payment-methods.js';
export { useOneClickPurchase, type UseOneClickPurchaseOptions, type UseOneClickPurchaseResult } from './use-one-click-purchase.js';
export { useAutoTopUp, type UseAutoTopUpOptions, type UseAutoTopUpResult } from './use-auto-top-up.js';
export { useAlertSettings, type UseAlertSettingsOptions, type UseAlertSettingsResult } from './use-alert-settings.js';
export { usePlan, usePlans, type UsePlanOptions, type UsePlanResult, type UsePlansResult } from './use-plan.js';
export {
  useInsufficientCredits,
  useBuyCreditsDialog,
  type UseInsufficientCreditsResult,
  type UseBuyCreditsDialogResult,
} from './use-insufficient-credits.js';
export { creditsKeys } from './query-keys.js';
export { useCreditsFormat, creditsFormat, type CreditsFormat } from './use-credits-format.js';
