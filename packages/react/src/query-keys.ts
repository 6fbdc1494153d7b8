import type { QueryClient } from '@tanstack/react-query';
import type { Balance } from '@aivah/credits';

const ROOT = 'aivah-credits';

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
  account: (accountId: string) => [ROOT, 'account', accountId] as const,
  /** The balance of one account. */
  balance: (accountId: string) => [ROOT, 'account', accountId, 'balance'] as const,
  /** The package catalogue. */
  packages: () => [ROOT, 'packages'] as const,
  /** One checkout session of an account. */
  checkout: (accountId: string, sessionId: string | null) => [ROOT, 'account', accountId, 'checkout', sessionId] as const,
  /** Ledger pages of an account, per query parameters. */
  ledger: (accountId: string, params: object) => [ROOT, 'account', accountId, 'ledger', params] as const,
  /** Purchase pages of an account, per query parameters. */
  purchases: (accountId: string, params: object) => [ROOT, 'account', accountId, 'purchases', params] as const,
  /** The usage summary of an account over `days` days. */
  usage: (accountId: string, days: number) => [ROOT, 'account', accountId, 'usage', days] as const,
  /** The alert settings of an account. */
  alertSettings: (accountId: string) => [ROOT, 'account', accountId, 'alert-settings'] as const,
  /** The plan catalogue. */
  plans: () => [ROOT, 'plans'] as const,
  /** The plan of an account. */
  plan: (accountId: string) => [ROOT, 'account', accountId, 'plan'] as const,
  /** The stored cards of an account. */
  paymentMethods: (accountId: string) => [ROOT, 'account', accountId, 'payment-methods'] as const,
  /** The auto top-up settings and state of an account. */
  autoTopUp: (accountId: string) => [ROOT, 'account', accountId, 'auto-top-up'] as const,
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
    queryClient.setQueryData<Balance>(creditsKeys.balance(id), (old) => newer(old, balance));
  write(accountId);
  if (balance.accountId !== accountId && queryClient.getQueryData(creditsKeys.balance(balance.accountId))) {
    write(balance.accountId);
  }
}
