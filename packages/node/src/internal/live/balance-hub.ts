/**
 * Fans one ledger subscription out to every open balance stream of this handler. A thousand open
 * streams cost one `onBalanceChange` listener (and, on Postgres, one LISTEN), not a thousand.
 * @module
 */
import type { BalanceEvents, LedgerOperations } from '../../ledger/adapter.js';
import type { Balance } from '../../ledger/types.js';

type Listener = (balance: Balance) => void;

/** Per-account fan-out of balance changes. */
export interface BalanceHub {
  /** Calls `listener` on every change of `accountId`'s balance until the returned function runs. */
  subscribe(accountId: string, listener: Listener): () => void;
  /** Open subscriptions (for tests and metrics). */
  readonly size: number;
}

/** Creates a hub; it subscribes to the ledger on the first stream and unsubscribes after the last. */
export function createBalanceHub(ledger: BalanceEvents & Pick<LedgerOperations, 'getBalance'>): BalanceHub {
  const byAccount = new Map<string, Set<Listener>>();
  let size = 0;
  let unsubscribe: (() => void) | null = null;

  const dispatch = (accountId: string, balance: Balance) => {
    const listeners = byAccount.get(accountId);
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        listener(balance);
      } catch {
        // One broken stream must not stop the others.
      }
    }
  };

  /** After a gap in cross-instance delivery, streams get a fresh read of their accounts. */
  const resync = () => {
    for (const accountId of [...byAccount.keys()]) {
      ledger.getBalance(accountId).then(
        (balance) => balance && dispatch(accountId, balance),
        () => { /* the next change or the client's own reconnect catches up */ },
      );
    }
  };

  return {
    get size() {
      return size;
    },
    subscribe(accountId, listener) {
      let listeners = byAccount.get(accountId);
      if (!listeners) byAccount.set(accountId, (listeners = new Set()));
      listeners.add(listener);
      size++;
      if (!unsubscribe) unsubscribe = ledger.onBalanceChange(dispatch, { onResync: resync });
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        listeners.delete(listener);
        size--;
        if (listeners.size === 0) byAccount.delete(accountId);
        if (size === 0 && unsubscribe) {
          unsubscribe();
          unsubscribe = null;
        }
      };
    },
  };
}
