import type { HTMLAttributes, ReactNode } from 'react';
import { useBalance, type CreditsHookOptions } from '@aivah/credits-react';
import { useCreditsConnection } from './connection.js';
import { cx, useKit, visuallyHidden, type ClassNames } from './internal/parts.js';

/** The text of {@link BalancePill}, in your language; `balancePillText` holds the English defaults. */
export interface BalancePillText {
  /** Read before the amount by screen readers. */
  label: string;
  /** Shown until the first balance arrives. */
  loading: string;
  /** After the amount while credits are reserved, e.g. "300 held". */
  held: (held: string) => string;
  /** In the tooltip: plan and one-off credits together, e.g. "2,341 plan + 2,000 one-off credits". */
  split: (plan: string, oneOff: string) => string;
  /** Tooltip while the balance arrives live. */
  live: string;
  /** Tooltip while the balance is polled. */
  polling: string;
  /** Tooltip (and screen-reader note) while the stream reconnects. */
  reconnecting: string;
  /** Tooltip (and screen-reader note) while the server cannot be reached. */
  offline: string;
  /** Tooltip before the first balance. */
  connecting: string;
}

/** The English defaults of {@link BalancePill}'s text. */
export const balancePillText: BalancePillText = {
  label: 'Available credits:',
  loading: '… Credits',
  held: (held: string) => `${held} held`,
  split: (plan: string, oneOff: string) => `${plan} plan + ${oneOff} one-off credits`,
  live: 'Live balance',
  polling: 'Balance refreshes every few seconds',
  reconnecting: 'Reconnecting… the balance may be out of date',
  offline: 'Offline: the balance may be out of date',
  connecting: 'Loading your balance',
};

/** Props of {@link BalancePill}. Other attributes go to the root `<span>`. */
export interface BalancePillProps extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'>, CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
  /** Text, in your language; English by default. */
  text?: Partial<BalancePillText>;
  /** Classes per part, added to the default `ac-pill-*` ones. */
  classNames?: ClassNames<'dot' | 'value' | 'held'>;
  /** Locale of the numbers (default: the provider's). */
  locale?: string;
}

/**
 * The live balance pill of the seed's Avatar chat, top right: "2,341 Credits", and the credits held by
 * an open call or session ("· 300 held"). State is in data attributes for styling:
 * `data-connection` (`live`, `polling`, `reconnecting`, `offline`, `connecting`), `data-empty` when
 * nothing is available, `data-held` while credits are held.
 *
 * @example
 * <header>
 *   <h1>Avatar chat</h1>
 *   <BalancePill />
 * </header>
 */
export function BalancePill(props: BalancePillProps): ReactNode {
  const { accountId = 'me', text: _text, classNames, locale, client, queryClient, className, ...rest } = props;
  const { text, options, format, part } = useKit(props, balancePillText, 'pill');
  const { available, held = 0, planCredits, oneOffCredits } = useBalance(accountId, options);
  const connection = useCreditsConnection(accountId, options);
  const state = text[connection];
  return (
    <span
      role="status"
      title={planCredits === undefined ? state : `${state} · ${text.split(format.number(planCredits), format.number(oneOffCredits ?? 0))}`}
      data-plan-credits={planCredits}
      data-one-off-credits={oneOffCredits}
      {...rest}
      className={cx('ac-pill', className)}
      data-connection={connection}
      data-empty={available === 0 || undefined}
      data-held={held > 0 || undefined}
    >
      <span className={part('dot')} aria-hidden="true" />
      <span style={visuallyHidden}>{text.label} </span>
      <span className={part('value')}>{available === undefined ? text.loading : format.credits(available)}</span>
      {held > 0 ? <span className={part('held')}>{text.held(format.number(held))}</span> : null}
      {connection === 'offline' || connection === 'reconnecting' ? <span style={visuallyHidden}> ({state})</span> : null}
    </span>
  );
}
