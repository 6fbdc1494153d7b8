import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useBalance, useInsufficientCredits, type CreditsHookOptions } from '@aivah/credits-react';
import { cx, useKit, type ClassNames } from './internal/parts.js';

/** The text of {@link OutOfCreditsToast}, in your language; `outOfCreditsToastText` holds the English defaults. */
export interface OutOfCreditsToastText {
  /** The name of the landmark that holds the toast. */
  region: string;
  /** The toast heading. */
  title: string;
  /** What the blocked action needed and what is left. */
  body: (required: string, available: string) => string;
  /** The button that opens the Buy Credits dialog. */
  addCredit: string;
  /** The button that closes the toast. */
  dismiss: string;
  /** Heading once credits arrived while the toast was up (another tab, an admin). */
  coveredTitle: string;
  /** Text once credits arrived; gets the formatted balance. */
  coveredBody: (available: string) => string;
  /** The button that sends the blocked action again. */
  retry: string;
}

/** The English defaults of {@link OutOfCreditsToast}'s text. */
export const outOfCreditsToastText: OutOfCreditsToastText = {
  region: 'Notifications',
  title: 'You’re out of credits',
  body: (required: string, available: string) => `This needs ${required} but only ${available} are available. Add credit to keep going.`,
  addCredit: 'Add credit',
  dismiss: 'Dismiss',
  coveredTitle: 'Credits added',
  coveredBody: (available: string) => `You now have ${available} — enough to continue.`,
  retry: 'Retry',
};

/** The parts of {@link OutOfCreditsToast} that take a class (`ac-toast-<part>` by default). */
export type OutOfCreditsToastPart = 'toast' | 'title' | 'body' | 'actions' | 'add' | 'retry' | 'dismiss';

/** Props of {@link OutOfCreditsToast}. */
export interface OutOfCreditsToastProps extends CreditsHookOptions {
  /**
   * Closes the toast after this many ms without the pointer or focus on it (default 12 000; `null`
   * keeps it until the user acts). The blocked action stays in your UI (keep the unsent message), so
   * nothing is lost when it closes.
   */
  duration?: number | null;
  /** Called with the result of **Retry** (when credits arrived while the toast was up). */
  onRetry?: (result: Promise<unknown>) => void;
  /** Text, in your language; English by default. */
  text?: Partial<OutOfCreditsToastText>;
  /** Classes of the region that holds the toast, added to `ac-toast-region`. */
  className?: string;
  /** Classes per part, added to the default `ac-toast-*` ones. */
  classNames?: ClassNames<OutOfCreditsToastPart>;
  /** Locale of the numbers (default: the provider's). */
  locale?: string;
}

/**
 * The seed's "clear toast" when credits run out mid-conversation: what the action needed, what is
 * left, and **Add credit**, which opens {@link BuyCreditsDialog} with a package that covers it. Any
 * 402 from a mutation under the provider (or `runWithCredits`) opens it. If credits arrive while it
 * is up, it offers **Retry**, which sends the blocked action again.
 *
 * An `alert` inside a labelled region; Escape dismisses it while focus is inside. It closes by itself
 * after `duration`, paused while hovered or focused. `ui.css` places it top right, clear of a
 * composer at the bottom (move it with `--ac-toast-top` / `--ac-toast-right`).
 */
export function OutOfCreditsToast(props: OutOfCreditsToastProps): ReactNode {
  const { duration = 12_000 } = props;
  const { text, options, format, part } = useKit(props, outOfCreditsToastText, 'toast');
  const toast = useInsufficientCredits(options);
  const { available } = useBalance('me', options);
  const [paused, setPaused] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  // Credits can arrive while the toast is up: then the blocked action can simply run again.
  const { open, dismiss, required } = toast;
  const covered = open && available !== undefined && available >= required;

  useEffect(() => {
    if (!open) return setPaused(false);
    if (paused || duration === null) return;
    const timer = setTimeout(dismiss, duration);
    return () => clearTimeout(timer);
  }, [open, paused, duration, dismiss, covered]);

  return (
    <div className={cx('ac-toast-region', props.className)} role="region" aria-label={text.region}>
      {open ? (
        <div
          ref={ref}
          className={part('toast')}
          role="alert"
          data-covered={covered || undefined}
          onPointerEnter={() => setPaused(true)}
          onPointerLeave={() => setPaused(ref.current!.contains(document.activeElement))}
          onFocus={() => setPaused(true)}
          onBlur={(event) => setPaused(ref.current!.contains(event.relatedTarget as Node | null))}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              dismiss();
            }
          }}
        >
          <p className={part('title')}>{covered ? text.coveredTitle : text.title}</p>
          <p className={part('body')}>
            {covered ? text.coveredBody(format.credits(available)) : text.body(format.credits(required), format.credits(toast.available))}
          </p>
          <div className={part('actions')}>
            {covered ? (
              <button
                type="button"
                className={part('retry')}
                onClick={() => {
                  const result = toast.retry();
                  if (props.onRetry) props.onRetry(result);
                  else result.catch(() => {}); // the action's own error handling shows what went wrong
                }}
              >
                {text.retry}
              </button>
            ) : (
              <button type="button" className={part('add')} onClick={toast.openBuyCredits}>
                {text.addCredit}
              </button>
            )}
            <button type="button" className={part('dismiss')} onClick={dismiss}>
              {text.dismiss}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
