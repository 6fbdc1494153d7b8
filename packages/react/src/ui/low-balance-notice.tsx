import { useState, type HTMLAttributes, type ReactNode } from 'react';
import { useAlertSettings, useBalance, useBuyCreditsDialog, type CreditsHookOptions } from '@aivah/credits-react';
import { cx, useKit, type ClassNames } from './internal/parts.js';

/** The text of {@link LowBalanceNotice}, in your language; `lowBalanceNoticeText` holds the English defaults. */
export interface LowBalanceNoticeText {
  /** The notice heading. */
  title: string;
  /** The notice text; gets the formatted balance and threshold. */
  body: (available: string, threshold: string) => string;
  /** The button that opens the Buy Credits dialog. */
  addCredit: string;
  /** The button that hides the notice until the next crossing. */
  dismiss: string;
}

/** The English defaults of {@link LowBalanceNotice}'s text. */
export const lowBalanceNoticeText: LowBalanceNoticeText = {
  title: 'Your credits are running low',
  body: (available: string, threshold: string) => `${available} left, below your alert threshold of ${threshold}.`,
  addCredit: 'Add credit',
  dismiss: 'Dismiss',
};

/** The parts of {@link LowBalanceNotice} that take a class (`ac-notice-<part>` by default). */
export type LowBalanceNoticePart = 'title' | 'body' | 'actions' | 'add' | 'dismiss';

/** Props of {@link LowBalanceNotice}. Other attributes go to the root `<div>`. */
export interface LowBalanceNoticeProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children'>, CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
  /** Show **Add credit**, which opens {@link BuyCreditsDialog} (default true). */
  addCredit?: boolean;
  /** Show **Dismiss**, which hides the notice until the balance next drops below the threshold (default true). */
  dismissible?: boolean;
  /** Text, in your language; English by default. */
  text?: Partial<LowBalanceNoticeText>;
  /** Classes per part, added to the default `ac-notice-*` ones. */
  classNames?: ClassNames<LowBalanceNoticePart>;
  /** Locale of the numbers (default: the provider's). */
  locale?: string;
}

/**
 * The in-app side of threshold alerts: shows while the live available balance is below the account's
 * alert threshold (an absolute amount or the seed's "25% of monthly usage"), with **Add credit**.
 * Renders nothing while alerts are off or the balance is above the threshold. The same rule as the
 * server's `balance.low` webhook: available below the effective threshold.
 *
 * @example
 * <main>
 *   <LowBalanceNotice />
 *   <Chat />
 * </main>
 */
export function LowBalanceNotice(props: LowBalanceNoticeProps): ReactNode {
  const { accountId = 'me', addCredit = true, dismissible = true, text: _text, classNames, locale, client, queryClient, className, ...rest } = props;
  const { text, options, format, part } = useKit(props, lowBalanceNoticeText, 'notice');
  const { settings } = useAlertSettings({ ...options, accountId });
  const { available } = useBalance(accountId, options);
  const dialog = useBuyCreditsDialog(options);
  // Dismissed for one crossing: a rise back above the threshold clears it.
  const [dismissed, setDismissed] = useState(false);

  const threshold = settings?.effectiveThreshold;
  const low = !!settings?.enabled && threshold !== undefined && available !== undefined && available < threshold;
  if (!low && dismissed) setDismissed(false);
  if (!low || dismissed) return null;

  return (
    <div role="status" {...rest} className={cx('ac-notice', className)}>
      <p className={part('title')}>{text.title}</p>
      <p className={part('body')}>{text.body(format.credits(available), format.credits(threshold))}</p>
      {addCredit || dismissible ? (
        <div className={part('actions')}>
          {addCredit ? (
            <button type="button" className={part('add')} onClick={() => dialog.setOpen(true)}>
              {text.addCredit}
            </button>
          ) : null}
          {dismissible ? (
            <button type="button" className={part('dismiss')} onClick={() => setDismissed(true)}>
              {text.dismiss}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
