import { useMutation, useQuery } from '@tanstack/react-query';
import type { AccountPlan, Plan, PlanChange } from '@aivah/credits';
import { navigateTo, useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { accountKey, planKey, plansKey, writeBalance } from './query-keys.js';

/** What {@link usePlans} returns. */
export interface UsePlansResult {
  /** The server's plan catalogue, cheapest first (empty until loaded). */
  plans: Plan[];
  /** The query status: `pending` until the first answer arrives. */
  status: 'pending' | 'error' | 'success';
  /** The error of the last failed request, else `null`. */
  error: Error | null;
}

const empty: Plan[] = [];

/**
 * The plans of the server catalogue (cached for five minutes).
 *
 * @example
 * const { plans } = usePlans();
 * plans.map((p) => <li key={p.id}>{p.name}: {formatCredits(p.credits)} a {p.interval}</li>);
 */
export function usePlans(options?: CreditsHookOptions): UsePlansResult {
  const { client, queryClient } = useCreditsContext(options);
  const query = useQuery({ queryKey: plansKey(), queryFn: ({ signal }) => client.plans.list({ signal }), staleTime: 300_000 }, queryClient);
  return { plans: query.data ?? empty, status: query.status, error: query.error };
}

/** Options of {@link usePlan}. */
export interface UsePlanOptions extends CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
  /** Sends the browser to Stripe Checkout for a paid plan (default `window.location.assign`). */
  navigate?: (url: string) => void;
}

/** What {@link usePlan} returns. */
export interface UsePlanResult {
  /** The account's plan, period, renewal date and allowance, once loaded. */
  plan: AccountPlan | undefined;
  /** The query status: `pending` until the first answer arrives. */
  status: 'pending' | 'error' | 'success';
  /** The error of loading the plan, else `null`. */
  error: Error | null;
  /**
   * Moves the account to `planId`. A first plan or an upgrade takes effect at once (the balance
   * updates with the credits granted); a downgrade at the period end; a paid plan that needs
   * payment sends the browser to `checkoutUrl`.
   */
  changePlan: (planId: string) => Promise<PlanChange>;
  /** True while `changePlan` runs. */
  isChanging: boolean;
  /** The error of the last `changePlan` (e.g. `PLAN_UNCHANGED`), else `null`. */
  changeError: Error | null;
}

/**
 * The account's plan: what it includes, when it renews, what rolls over, and a way to change it.
 *
 * @example
 * const { plan, changePlan, isChanging } = usePlan();
 * <p>{plan?.plan?.name}: renews {plan?.renewsAt}</p>
 * <button disabled={isChanging} onClick={() => changePlan('pro')}>Upgrade to Pro</button>
 */
export function usePlan(options: UsePlanOptions = {}): UsePlanResult {
  const { client, queryClient } = useCreditsContext(options);
  const accountId = options.accountId ?? 'me';
  const queryKey = planKey(accountId);
  const query = useQuery({ queryKey, queryFn: ({ signal }) => client.plans.get(accountId, { signal }) }, queryClient);
  const mutation = useMutation(
    {
      mutationFn: (planId: string) => client.plans.change(accountId, { planId }),
      onSuccess: async (change) => {
        if (change.effective === 'checkout' && change.checkoutUrl) {
          navigateTo(options.navigate, change.checkoutUrl);
          return;
        }
        queryClient.setQueryData(queryKey, change.plan);
        // Credits granted by the change show at once; the ledger gains an entry.
        const balance = await client.balance.get(accountId).catch(() => null);
        if (balance) writeBalance(queryClient, accountId, balance);
        await queryClient.invalidateQueries({ queryKey: accountKey(accountId), predicate: (q) => q.queryKey[3] !== 'balance' && q.queryKey[3] !== 'plan' });
      },
    },
    queryClient,
  );
  return {
    plan: query.data,
    status: query.status,
    error: query.error,
    changePlan: mutation.mutateAsync,
    isChanging: mutation.isPending,
    changeError: mutation.error,
  };
}
