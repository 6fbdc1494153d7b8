import { useQuery } from '@tanstack/react-query';
import type { CreditPackage } from '@aivah/credits';
import { useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { packagesKey } from './query-keys.js';

/** What {@link useCreditPackages} returns. */
export interface UseCreditPackagesResult {
  /** The server's catalogue, cheapest first (empty until loaded). */
  packages: CreditPackage[];
  /** The query status: `pending` until the first answer arrives. */
  status: 'pending' | 'error' | 'success';
  /** The error of the last failed request, else `null`. */
  error: Error | null;
  /** Fetches again now. */
  refetch: () => Promise<unknown>;
}

/**
 * The one-off credit packages of the server catalogue (cached for five minutes).
 *
 * @example
 * const { packages } = useCreditPackages();
 * packages.map((p) => <option key={p.id} value={p.id}>{p.name} – {formatMoney(p.price)}</option>);
 */
export function useCreditPackages(options?: CreditsHookOptions): UseCreditPackagesResult {
  const { client, queryClient } = useCreditsContext(options);
  const query = useQuery(
    {
      queryKey: packagesKey(),
      queryFn: ({ signal }) => client.packages.list({ signal }),
      staleTime: 300_000,
    },
    queryClient,
  );
  return { packages: query.data ?? empty, status: query.status, error: query.error, refetch: query.refetch };
}

const empty: CreditPackage[] = [];
