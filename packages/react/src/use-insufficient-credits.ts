import { useSyncExternalStore } from 'react';
import type { InsufficientCreditsError } from '@aivah/credits';
import { useCreditsContext, type CreditsHookOptions } from './internal/context.js';

/** What {@link useInsufficientCredits} returns: everything an out-of-credits toast renders. */
export interface UseInsufficientCreditsResult {
  /** Whether the toast should show. */
  open: boolean;
  /** The 402 behind it. */
  error: InsufficientCreditsError | null;
  /** Credits the blocked action needed. */
  required: number;
  /** Credits available when it was blocked. */
  available: number;
  /** `required - available`: the least a purchase must add. */
  shortfall: number;
  /** Closes the toast and opens Buy Credits (the provider's `onBuyCredits`, and `useBuyCreditsDialog`). The blocked action is kept for `retry()`. */
  openBuyCredits: () => void;
  /** Closes the toast and forgets the blocked action. */
  dismiss: () => void;
  /** Sends the blocked action again (after a purchase); resolves with its result. */
  retry: () => Promise<unknown>;
  /**
   * Shows the toast for an error you caught, if it is an `InsufficientCreditsError`; `retry`
   * is what `retry()` will run. Returns whether it was one.
   */
  reportError: (error: unknown, retry?: () => Promise<unknown>) => boolean;
  /**
   * Runs `action` (e.g. a call to your server that spends credits); a 402 from it opens the toast
   * and `retry()` runs `action` again. The promise still rejects, so your flow can stop.
   */
  runWithCredits: <T>(action: () => Promise<T>) => Promise<T>;
}

/**
 * The "out of credits" toast and resume flow: any hook mutation (or action you run through
 * `runWithCredits`) that fails with 402 lands here; buy, then `retry()` resends it.
 *
 * @example
 * function OutOfCreditsToast() {
 *   const t = useInsufficientCredits();
 *   if (!t.open) return null;
 *   return (
 *     <div role="alert">
 *       You need {t.shortfall} more credits.
 *       <button onClick={t.openBuyCredits}>Add credit</button>
 *       <button onClick={t.dismiss}>Dismiss</button>
 *     </div>
 *   );
 * }
 */
export function useInsufficientCredits(options?: CreditsHookOptions): UseInsufficientCreditsResult {
  const { store } = useCreditsContext(options);
  const { error, toastOpen } = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  const { required = 0, available = 0 } = error ?? {};
  return {
    open: toastOpen,
    error,
    required,
    available,
    shortfall: Math.max(0, required - available),
    openBuyCredits: store.openBuyCredits,
    dismiss: store.dismiss,
    retry: store.retry,
    reportError: store.report,
    runWithCredits: store.run,
  };
}

/** What {@link useBuyCreditsDialog} returns. */
export interface UseBuyCreditsDialogResult {
  /** Whether the Buy Credits dialog should show. */
  open: boolean;
  /** The package to select on opening, when the opener suggested one (e.g. a campaign planner). */
  packageId: string | undefined;
  /** Opens or closes the dialog; `packageId` suggests the package to select. */
  setOpen: (open: boolean, packageId?: string) => void;
}

/**
 * Open state of the app's Buy Credits dialog, opened by the toast's `openBuyCredits()`.
 *
 * @example
 * const { open, setOpen } = useBuyCreditsDialog();
 * <Dialog open={open} onOpenChange={setOpen}><BuyCredits /></Dialog>
 */
export function useBuyCreditsDialog(options?: CreditsHookOptions): UseBuyCreditsDialogResult {
  const { store } = useCreditsContext(options);
  const { buyDialogOpen, buyPackageId } = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  return { open: buyDialogOpen, packageId: buyPackageId, setOpen: store.setBuyDialogOpen };
}
