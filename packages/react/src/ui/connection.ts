import { useSyncExternalStore } from 'react';
import { isCreditsError } from '@aivah/credits';
import { useBalance, type UseBalanceOptions } from '@aivah/credits-react';

/**
 * How current the credits shown are: `live` over the stream, `polling` while the stream is down but
 * requests work, `reconnecting` while the stream retries, `offline` when the browser is offline or
 * the server cannot be reached, `connecting` before the first balance.
 */
export type CreditsConnection = 'connecting' | 'live' | 'polling' | 'reconnecting' | 'offline';

const subscribeOnline = (onChange: () => void) => {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
};
const isOnline = () => navigator.onLine;
const serverOnline = () => true;

/** A failure that says nothing about the server being reachable: a 4xx answer came from it. */
const answered = (e: Error) => {
  const status = isCreditsError(e) ? (e as { status?: unknown }).status : undefined;
  return typeof status === 'number' && status < 500;
};

/**
 * Whether the app can reach the credits server, from the live balance (one shared stream) and the
 * browser's own online state. Use it to be honest in your UI: an agent that cannot reach the server
 * is not "Online".
 *
 * @example
 * const connection = useCreditsConnection();
 * <p>{connection === 'offline' ? 'Offline — your message is kept' : 'Online'}</p>
 */
export function useCreditsConnection(accountId = 'me', options?: UseBalanceOptions): CreditsConnection {
  const { status, error, connection } = useBalance(accountId, options);
  const online = useSyncExternalStore(subscribeOnline, isOnline, serverOnline);
  if (!online) return 'offline';
  if (connection === 'open') return 'live';
  if (error && !answered(error)) return 'offline';
  if (connection === 'reconnecting') return 'reconnecting';
  return status === 'pending' ? 'connecting' : 'polling';
}
