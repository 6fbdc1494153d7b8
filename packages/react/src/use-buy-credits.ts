import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { formatCredits, formatMoney, type CheckoutSession, type CreditPackage } from '@aivah/credits';
import { navigateTo, useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { useBalance } from './use-balance.js';
import { useCreditPackages } from './use-credit-packages.js';

/** Options of {@link useBuyCredits}. */
export interface UseBuyCreditsOptions extends CreditsHookOptions {
  /** The buying account (default `me`). */
  accountId?: string;
  /** The package selected at first. */
  defaultPackageId?: string;
  /** Sends the browser to Stripe Checkout (default `window.location.assign`); inject your router's or a test spy. */
  navigate?: (url: string) => void;
  /** Locale for prices and credit amounts (default: the provider's, else `en-US`). */
  locale?: string;
}

/** What {@link useBuyCredits} returns. */
export interface UseBuyCreditsResult {
  /** The catalogue, cheapest first. */
  packages: CreditPackage[];
  /** The selected package, once the catalogue has it. */
  selected: CreditPackage | undefined;
  /** Selects a package by id (`undefined` clears the selection). */
  select: (packageId: string | undefined) => void;
  /** Available credits now (live). */
  available: number | undefined;
  /** Available credits after buying the selected package; follows the live balance. */
  projectedBalance: number | undefined;
  /** `projectedBalance` for people: "4,341 Credits". */
  projectedFormatted: string | undefined;
  /** The selected package's price for people: "$10.00". */
  price: string | undefined;
  /**
   * Creates the checkout session for the selected package (or `packageId`) and navigates to it.
   * Never rejects: failures land in `error`. Resolves with the session, or undefined on failure.
   */
  buy: (packageId?: string) => Promise<CheckoutSession | undefined>;
  /** True while the session is being created. */
  isPending: boolean;
  /** Why the last `buy()` failed, else `null`. */
  error: Error | null;
}

/**
 * The Buy Credits dialog: pick a package, see current and projected balance and the price,
 * then go to Stripe Checkout. The price always comes from the server catalogue.
 *
 * @example
 * const buy = useBuyCredits({ defaultPackageId: 'credits_2000' });
 * <p>Projected balance: {buy.projectedFormatted}</p>
 * <button disabled={!buy.selected || buy.isPending} onClick={() => buy.buy()}>Buy credits · {buy.price}</button>
 */
export function useBuyCredits(options: UseBuyCreditsOptions = {}): UseBuyCreditsResult {
  const { client, queryClient, locale: providerLocale } = useCreditsContext(options);
  const accountId = options.accountId ?? 'me';
  const locale = options.locale ?? providerLocale;
  const { packages } = useCreditPackages(options);
  const { available } = useBalance(accountId, options);
  const [selectedId, select] = useState(options.defaultPackageId);
  const mutation = useMutation(
    {
      mutationFn: async (packageId: string) => {
        const session = await client.checkout.create(accountId, { packageId });
        if (!session.url) throw new Error(`Checkout session ${session.id} has no url (status ${session.status}).`);
        navigateTo(options.navigate, session.url);
        return session;
      },
    },
    queryClient,
  );

  const selected = packages.find((p) => p.id === selectedId);
  const projectedBalance = selected && available !== undefined ? available + selected.credits : undefined;
  return {
    packages,
    selected,
    select,
    available,
    projectedBalance,
    projectedFormatted: projectedBalance === undefined ? undefined : formatCredits(projectedBalance, locale),
    price: selected && formatMoney(selected.price, locale),
    buy: async (packageId = selectedId) => (packageId ? mutation.mutateAsync(packageId).catch(() => undefined) : undefined),
    isPending: mutation.isPending,
    error: mutation.error,
  };
}
