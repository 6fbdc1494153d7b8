/**
 * Drop-in components for the seed's credits screens, built on the hooks of `@aivah/credits-react`:
 * the balance pill, the Available Credits line, the Buy Credits dialog, the out-of-credits toast,
 * the checkout result, the credit ledger and the low-balance notice.
 *
 * Unstyled by default (semantic HTML, `data-*` state, a `className`/`classNames` on every part);
 * import `@aivah/credits-react/ui.css` for the optional theme, tuned with `--ac-*` custom properties.
 * Every component needs a `CreditsProvider` above it (or `client` in its props).
 *
 * @example
 * import { CreditsProvider } from '@aivah/credits-react';
 * import { AvailableCredits, BuyCreditsDialog, OutOfCreditsToast } from '@aivah/credits-react/ui';
 * import '@aivah/credits-react/ui.css';
 *
 * <CreditsProvider client={creditsClient}>
 *   <AvailableCredits />
 *   <BuyCreditsDialog />
 *   <OutOfCreditsToast />
 * </CreditsProvider>
 *
 * @packageDocumentation
 */
export { BalancePill, balancePillText, type BalancePillProps, type BalancePillText } from './balance-pill.js';
export { AvailableCredits, availableCreditsText, type AvailableCreditsProps, type AvailableCreditsText } from './available-credits.js';
export {
  BuyCreditsDialog,
  buyCreditsDialogText,
  type BuyCreditsDialogProps,
  type BuyCreditsDialogText,
  type BuyCreditsDialogPart,
} from './buy-credits-dialog.js';
export {
  OutOfCreditsToast,
  outOfCreditsToastText,
  type OutOfCreditsToastProps,
  type OutOfCreditsToastText,
  type OutOfCreditsToastPart,
} from './out-of-credits-toast.js';
export {
  CheckoutResult,
  checkoutResultText,
  type CheckoutResultProps,
  type CheckoutResultText,
  type CheckoutResultPart,
  type CheckoutResultLinkProps,
  type CheckoutResultState,
} from './checkout-result.js';
export { CreditLedger, creditLedgerText, type CreditLedgerProps, type CreditLedgerText, type CreditLedgerPart } from './credit-ledger.js';
export {
  LowBalanceNotice,
  lowBalanceNoticeText,
  type LowBalanceNoticeProps,
  type LowBalanceNoticeText,
  type LowBalanceNoticePart,
} from './low-balance-notice.js';
export { useCreditsConnection, type CreditsConnection } from './connection.js';
export type { ClassNames } from './internal/parts.js';
