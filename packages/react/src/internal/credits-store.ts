import { isInsufficientCreditsError, type InsufficientCreditsError } from '@aivah/credits';

/** What the out-of-credits toast and the Buy Credits dialog render from. */
export interface CreditsStoreState {
  /** The 402 that blocked the last action, until it is retried or dismissed. */
  error: InsufficientCreditsError | null;
  /** Whether the toast is showing. */
  toastOpen: boolean;
  /** Whether the app's Buy Credits dialog should be open. */
  buyDialogOpen: boolean;
  /** The package the dialog should select when it opens, if whoever opened it suggested one. */
  buyPackageId: string | undefined;
}

/** A tiny external store (`useSyncExternalStore`-shaped) shared by one provider's hooks. */
export interface CreditsStore {
  getState(): CreditsStoreState;
  subscribe(listener: () => void): () => void;
  /** Shows the toast for a 402 and remembers how to resend what it blocked. False for other errors. */
  report(error: unknown, retry?: () => Promise<unknown>): boolean;
  /** Runs `action`; a 402 it throws is reported with `action` as the retry, then rethrown. */
  run<T>(action: () => Promise<T>): Promise<T>;
  /** Resends the blocked action (resolves undefined when there is none). */
  retry(): Promise<unknown>;
  dismiss(): void;
  openBuyCredits(): void;
  setBuyDialogOpen(open: boolean, packageId?: string): void;
}

/** `onBuyCredits` is read when called, so the provider can pass the latest callback. */
export function createCreditsStore(onBuyCredits?: () => (() => void) | undefined): CreditsStore {
  let state: CreditsStoreState = { error: null, toastOpen: false, buyDialogOpen: false, buyPackageId: undefined };
  let blocked: (() => Promise<unknown>) | undefined;
  const listeners = new Set<() => void>();
  const set = (patch: Partial<CreditsStoreState>) => {
    state = { ...state, ...patch };
    listeners.forEach((l) => l());
  };

  const store: CreditsStore = {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report(error, retry) {
      if (!isInsufficientCreditsError(error)) return false;
      // The same error can arrive twice (a hook's onError, then the mutation cache); the first
      // reporter knows best how to retry.
      if (error === state.error) return true;
      blocked = retry;
      set({ error, toastOpen: true });
      return true;
    },
    run(action) {
      return action().catch((e: unknown) => {
        store.report(e, () => store.run(action));
        throw e;
      });
    },
    async retry() {
      const action = blocked;
      blocked = undefined;
      set({ error: null, toastOpen: false, buyDialogOpen: false });
      return action?.();
    },
    dismiss() {
      blocked = undefined;
      set({ error: null, toastOpen: false });
    },
    openBuyCredits() {
      set({ toastOpen: false, buyDialogOpen: true });
      onBuyCredits?.()?.();
    },
    setBuyDialogOpen(open, packageId) {
      set({ buyDialogOpen: open, buyPackageId: open ? packageId : undefined });
    },
  };
  return store;
}
