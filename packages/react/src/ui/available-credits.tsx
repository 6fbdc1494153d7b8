import type { HTMLAttributes, ReactNode } from 'react';
import { useBalance, useBuyCreditsDialog, type CreditsHookOptions } from '@aivah/credits-react';
import { cx, useKit, type ClassNames } from './internal/parts.js';

/** The text of {@link AvailableCredits}, in your language; `availableCreditsText` holds the English defaults. */
export interface AvailableCreditsText {
  /** The label before the amount. */
  label: string;
  /** Shown instead of the amount until the balance arrives. */
  loading: string;
  /** Under the amount while credits are reserved; gets the formatted held credits. */
  held: (held: string) => string;
  /** The button that opens the Buy Credits dialog. */
  addCredit: string;
}

/** The English defaults of {@link AvailableCredits}'s text. */
export const availableCreditsText: AvailableCreditsText = {
  label: 'Available Credits',
  loading: '…',
  held: (held: string) => `${held} held by an active call or session`,
  addCredit: 'Add credit',
};

/** Props of {@link AvailableCredits}. Other attributes go to the root `<span>`. */
export interface AvailableCreditsProps extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'>, CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
  /**
   * Show the **Add credit** button (default true). It opens {@link BuyCreditsDialog} (and calls
   * `onAddCredit`). Turn it off where the line sits inside another control, such as a menu button.
   */
  addCredit?: boolean;
  /** Called when **Add credit** is pressed, after the dialog is asked to open. */
  onAddCredit?: () => void;
  /** Text, in your language; English by default. */
  text?: Partial<AvailableCreditsText>;
  /** Classes per part, added to the default `ac-available-*` ones. */
  classNames?: ClassNames<'label' | 'value' | 'held' | 'add'>;
  /** Locale of the numbers (default: the provider's). */
  locale?: string;
}

/**
 * The user menu's line of the seed: "Available Credits · 2,341 Credits", the credits held by an open
 * call, and **Add credit**, which opens the Buy Credits dialog. Rendered as phrasing content
 * (spans and a button), so it fits inside menus, headers and cards.
 *
 * @example
 * <CreditsProvider client={creditsClient}>
 *   <AvailableCredits />
 *   <BuyCreditsDialog />
 * </CreditsProvider>
 */
export function AvailableCredits(props: AvailableCreditsProps): ReactNode {
  const { accountId = 'me', addCredit = true, onAddCredit, text: _text, classNames, locale, client, queryClient, className, ...rest } = props;
  const { text, options, format, part } = useKit(props, availableCreditsText, 'available');
  const { available, held = 0 } = useBalance(accountId, options);
  const dialog = useBuyCreditsDialog(options);
  return (
    <span {...rest} className={cx('ac-available', className)} data-held={held > 0 || undefined}>
      <span className={part('label')}>{text.label}</span>{' '}
      <span className={part('value')}>{available === undefined ? text.loading : format.credits(available)}</span>
      {held > 0 ? (
        <>
          {' '}
          <span className={part('held')}>{text.held(format.credits(held))}</span>
        </>
      ) : null}
      {addCredit ? (
        <>
          {' '}
          <button
            type="button"
            className={part('add')}
            onClick={() => {
              dialog.setOpen(true);
              onAddCredit?.();
            }}
          >
            {text.addCredit}
          </button>
        </>
      ) : null}
    </span>
  );
}
