import type { Balance, CreditsClient } from '@aivah/credits';

/** Where a shared balance stream is: `idle` until someone listens, then the SDK's own states. */
export type StreamStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** One SSE subscription per client and account, shared by every component that reads it. */
export interface BalanceStream {
  getStatus(): StreamStatus;
  /**
   * Adds a listener (for status changes) and a sink (for balances; one per `key`, so N components
   * on one query cache write once). Opens the stream on the first call. Returns the release
   * function; the stream closes one macrotask after the last release, so StrictMode's
   * mount → unmount → mount and a route change that remounts do not reconnect.
   */
  connect(onStatus: () => void, key: object, onBalance: (b: Balance) => void): () => void;
}

const streams = new WeakMap<CreditsClient, Map<string, BalanceStream>>();
let open = 0;

/** How many SSE subscriptions are open right now (for tests and diagnostics). */
export const openBalanceStreams = (): number => open;

/** The shared stream of `accountId` on `client` (created on first use, connected on first `connect`). */
export function balanceStream(client: CreditsClient, accountId: string): BalanceStream {
  let byAccount = streams.get(client);
  if (!byAccount) streams.set(client, (byAccount = new Map()));
  let stream = byAccount.get(accountId);
  if (stream) return stream;

  let status: StreamStatus = 'idle';
  let refs = 0;
  let stop: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<() => void>();
  const sinks = new Map<object, [(b: Balance) => void, number]>();
  const setStatus = (next: StreamStatus) => {
    if (next === status) return;
    status = next;
    listeners.forEach((l) => l());
  };

  stream = {
    getStatus: () => status,
    connect(onStatus, key, onBalance) {
      listeners.add(onStatus);
      const sink = sinks.get(key);
      sinks.set(key, [sink?.[0] ?? onBalance, (sink?.[1] ?? 0) + 1]);
      clearTimeout(timer);
      refs++;
      if (!stop) {
        open++;
        setStatus('connecting');
        stop = client.balance.subscribe(accountId, (b) => sinks.forEach(([write]) => write(b)), {
          onStatus: setStatus,
        });
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        listeners.delete(onStatus);
        const s = sinks.get(key);
        if (s && --s[1] === 0) sinks.delete(key);
        if (--refs > 0) return;
        timer = setTimeout(() => {
          if (refs > 0 || !stop) return;
          stop();
          stop = undefined;
          open--;
          status = 'idle';
        }, 0);
      };
    },
  };
  byAccount.set(accountId, stream);
  return stream;
}
