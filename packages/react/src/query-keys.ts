import type { QueryClient } from '@tanstack/react-query';
import type { Balance } from '@aivah/credits';

const ROOT = 'aivah-credits';

// One builder per key, and the hooks call these rather than `creditsKeys`: an object is kept whole
// once anything reads it, so a bundle would carry every key; this way it keeps only the keys of the
// hooks it uses (and `creditsKeys`, if the app reads it).

/** Every query of one account. */
export const accountKey = (accountId: string) => [ROOT, 'account', accountId] as const;
/** The balance of one account. */
export const balanceKey = (accountId: string) => [ROOT, 'account', accountId, 'balance'] as const;
/** The package catalogue. */
export const packagesKey = () => [ROOT, 'packages'] as const;
/** One checkout session of an account. */
export const checkoutKey = (accountId: string, sessionId: string | null) => [ROOT, 'account', accountId, 'checkout', sessionId] as const;
/** Ledger pages of an account, per query parameters. */
export const ledgerKey = (accountId: string, params: object) => [ROOT, 'account', accountId, 'ledger', params] as const;
/** Purchase pages of an account, per query parameters. */
export const purchasesKey = (accountId: string, params: object) => [ROOT, 'account', accountId, 'purchases', params] as const;
/** The usage summary of an account over `days` days. */
export const usageKey = (accountId: string, days: number) => [ROOT, 'account', accountId, 'usage', days] as const;
/** The alert settings of an account. */
export const alertSettingsKey = (accountId: string) => [ROOT, 'account', accountId, 'alert-settings'] as const;
/** The plan catalogue. */
export const plansKey = () => [ROOT, 'plans'] as const;
/** The plan of an account. */
export const planKey = (accountId: string) => [ROOT, 'account', accountId, 'plan'] as const;
/** The stored cards of an account. */
export const paymentMethodsKey = (accountId: string) => [ROOT, 'account', accountId, 'payment-methods'] as const;
/** The auto top-up settings and state of an account. */
export const autoTopUpKey = (accountId: string) => [ROOT, 'account', accountId, 'auto-top-up'] as const;

/**
 * The TanStack Query keys the hooks use, for prefetching, `setQueryData` or invalidation
 * (e.g. after your own server spent credits without the SSE stream).
 *
 * @example
 * queryClient.invalidateQueries({ queryKey: creditsKeys.account('me') });
 */
export const creditsKeys = {
  /** Every query of this package. */
  all: [ROOT] as const,
  /** Every query of one account (balance, ledger, usage, alerts, checkout). */
  account: accountKey,
  /** The balance of one account. */
  balance: balanceKey,
  /** The package catalogue. */
  packages: packagesKey,
  /** One checkout session of an account. */
  checkout: checkoutKey,
  /** Ledger pages of an account, per query parameters. */
  ledger: ledgerKey,
  /** Purchase pages of an account, per query parameters. */
  purchases: purchasesKey,
  /** The usage summary of an account over `days` days. */
  usage: usageKey,
  /** The alert settings of an account. */
  alertSettings: alertSettingsKey,
  /** The plan catalogue. */
  plans: plansKey,
  /** The plan of an account. */
  plan: planKey,
  /** The stored cards of an account. */
  paymentMethods: paymentMethodsKey,
  /** The auto top-up settings and state of an account. */
  autoTopUp: autoTopUpKey,
};

/** Keeps whichever balance is newer: a late poll or stream event never undoes a later change. */
export const newer = (old: Balance | undefined, next: Balance): Balance =>
  old && old.version > next.version ? old : next;

/**
 * Writes a balance the server just returned into the cache of `accountId` (and of its real id,
 * when `accountId` is `me` and someone reads that too).
 */
export function writeBalance(queryClient: QueryClient, accountId: string, balance: Balance): void {
  const write = (id: string) =>
    queryClient.setQueryData<Balance>(balanceKey(id), (old) => newer(old, balance));
  write(accountId);
  if (balance.accountId !== accountId && queryClient.getQueryData(balanceKey(balance.accountId))) {
    write(balance.accountId);
  }
}
