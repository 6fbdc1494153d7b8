import { useMutation, useQuery } from '@tanstack/react-query';
import type { AlertSettings, AlertSettingsUpdate } from '@aivah/credits';
import { useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { alertSettingsKey } from './query-keys.js';

/** Options of {@link useAlertSettings}. */
export interface UseAlertSettingsOptions extends CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
}

/** What {@link useAlertSettings} returns. */
export interface UseAlertSettingsResult {
  /** The current settings, once loaded. */
  settings: AlertSettings | undefined;
  /** The query status: `pending` until the first answer arrives. */
  status: 'pending' | 'error' | 'success';
  /** The error of loading the settings, else `null`. */
  error: Error | null;
  /** Saves new settings; resolves with what the server stored (also written to the cache). */
  update: (body: AlertSettingsUpdate) => Promise<AlertSettings>;
  /** True while `update` runs. */
  isUpdating: boolean;
  /** The error of the last `update`, else `null`. */
  updateError: Error | null;
}

/**
 * Threshold alerts: when `balance.low` fires (an absolute amount, or a percentage of the trailing
 * 30-day usage, like the seed's "25% of monthly usage").
 *
 * @example
 * const { settings, update, isUpdating } = useAlertSettings();
 * <button disabled={isUpdating} onClick={() => update({ enabled: true, mode: 'usage_percent', percent: 25 })}>Alert at 25%</button>
 */
export function useAlertSettings(options: UseAlertSettingsOptions = {}): UseAlertSettingsResult {
  const { client, queryClient } = useCreditsContext(options);
  const accountId = options.accountId ?? 'me';
  const queryKey = alertSettingsKey(accountId);
  const query = useQuery({ queryKey, queryFn: ({ signal }) => client.alerts.get(accountId, { signal }) }, queryClient);
  const mutation = useMutation(
    {
      mutationFn: (body: AlertSettingsUpdate) => client.alerts.update(accountId, body),
      onSuccess: (settings) => queryClient.setQueryData(queryKey, settings),
    },
    queryClient,
  );
  return {
    settings: query.data,
    status: query.status,
    error: query.error,
    update: mutation.mutateAsync,
    isUpdating: mutation.isPending,
    updateError: mutation.error,
  };
}
