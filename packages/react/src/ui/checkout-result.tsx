import type { HTMLAttributes, ReactNode } from 'react';
import { useCheckoutResult, type UseCheckoutResultOptions } from '@aivah/credits-react';
import { cx, useKit, type ClassNames } from './internal/parts.js';

/** The text of {@link CheckoutResult}, in your language; `checkoutResultText` holds the English defaults. */
export interface CheckoutResultText {
  /** Heading while the payment is confirmed. */
  pendingTitle: string;
  /** Text while the payment is confirmed. */
  pendingBody: string;
  /** Heading once the credits are added. */
  fulfilledTitle: string;
  /** Text once the credits are added; gets the formatted credits. */
  fulfilledBody: (credits: string) => string;
  /** Label of the balance after the purchase. */
  newBalance: string;
  /** Heading of a cancelled checkout. */
  cancelledTitle: string;
  /** Text of a cancelled checkout. */
  cancelledBody: string;
  /** Heading when the session is unknown to this account. */
  notFoundTitle: string;
  /** Text when the session is unknown to this account. */
  notFoundBody: string;
  /** Heading when the payment could not be confirmed in time. */
  errorTitle: string;
  /** Text when the payment could not be confirmed in time. */
  errorBody: string;
  /** Heading on a page that is not a checkout return. */
  idleTitle: string;
  /** Text on a page that is not a checkout return. */
  idleBody: string;
  /** The link home. */
  home: string;
  /** The link to the plans. */
  plans: string;
}

/** The English defaults of {@link CheckoutResult}'s text. */
export const checkoutResultText: CheckoutResultText = {
  pendingTitle: 'Confirming your payment…',
  pendingBody: 'Your credits are added as soon as the payment is confirmed.',
  fulfilledTitle: 'Payment successful',
  fulfilledBody: (credits: string) => `${credits} were added to your balance.`,
  newBalance: 'New balance:',
  cancelledTitle: 'Payment cancelled',
  cancelledBody: 'Nothing was charged and your balance is unchanged.',
  notFoundTitle: 'We can’t find this payment',
  notFoundBody: 'This link matches no checkout of your account, so nothing was added. If you paid, your credits arrive as soon as Stripe confirms it.',
  errorTitle: 'We could not confirm this payment yet',
  errorBody: 'If you paid, your credits arrive as soon as Stripe confirms it. Contact support if they do not.',
  idleTitle: 'No payment to show',
  idleBody: 'Start a purchase from the user menu → Add credit.',
  home: 'Home',
  plans: 'View plans',
};

/** The parts of {@link CheckoutResult} that take a class (`ac-result-<part>` by default). */
export type CheckoutResultPart = 'icon' | 'title' | 'body' | 'balance' | 'actions' | 'home' | 'plans';

/** What {@link CheckoutResult} shows: the hook's status, with a not-found session told apart. */
export type CheckoutResultState = 'idle' | 'pending' | 'fulfilled' | 'cancelled' | 'not_found' | 'error';

/** A link of {@link CheckoutResult}; render your router's link here. */
export interface CheckoutResultLinkProps {
  /** Where the link goes. */
  href: string;
  /** The part's classes: put them on your link. */
  className: string;
  /** The link text. */
  children: ReactNode;
}

/** Props of {@link CheckoutResult}. Other attributes go to the root `<section>`. */
export interface CheckoutResultProps
  extends Omit<HTMLAttributes<HTMLElement>, 'children'>,
    Pick<UseCheckoutResultOptions, 'client' | 'queryClient' | 'accountId' | 'search' | 'timeoutMs'> {
  /** Where **Home** goes (default `/`). */
  homeHref?: string;
  /** Where **View plans** goes (default `/plans`); `null` hides it. */
  plansHref?: string | null;
  /** Renders the two links (default a plain `<a>`): pass your router's link for in-app navigation. */
  renderLink?: (props: CheckoutResultLinkProps) => ReactNode;
  /** Text, in your language; English by default. */
  text?: Partial<CheckoutResultText>;
  /** Classes per part, added to the default `ac-result-*` ones. */
  classNames?: ClassNames<CheckoutResultPart>;
  /** Locale of the numbers (default: the provider's). */
  locale?: string;
}

const ICONS: Record<CheckoutResultState, string> = { idle: '?', pending: '…', fulfilled: '✓', cancelled: '×', not_found: '?', error: '!' };
const plainLink = ({ href, className, children }: CheckoutResultLinkProps) => (
  <a href={href} className={className}>
    {children}
  </a>
);

/**
 * The seed's `/payment` page content: where Stripe Checkout returns with `?state=success&session_id=…`
 * or `?state=cancel`. It waits until the purchase is credited (showing the credits added and the new
 * balance), says plainly when the payment was cancelled or the session is unknown (at once, no
 * retrying a 404), and offers **Home** and **View plans**. `data-state` carries the state.
 *
 * @example
 * // app/payment/page.tsx ('use client')
 * export default function Payment() {
 *   return <CheckoutResult renderLink={(p) => <Link {...p} />} />;
 * }
 */
export function CheckoutResult(props: CheckoutResultProps): ReactNode {
  const { homeHref = '/', plansHref = '/plans', renderLink = plainLink, text: _text, classNames, locale, client, queryClient, accountId, search, timeoutMs, className, ...rest } =
    props;
  const { text, format, part } = useKit(props, checkoutResultText, 'result');
  const result = useCheckoutResult({ client, queryClient, accountId, search, timeoutMs });

  const state: CheckoutResultState =
    result.status === 'error' && (result.error as { status?: number } | null)?.status === 404 ? 'not_found' : result.status;
  // Each state has its `<state>Title` and `<state>Body` text.
  const key = state === 'not_found' ? 'notFound' : state;
  const body = key === 'fulfilled' ? text.fulfilledBody(format.credits(result.credited!)) : text[`${key}Body`];

  return (
    <section {...rest} className={cx('ac-result', className)} data-state={state} aria-busy={state === 'pending'}>
      <div className={part('icon')} aria-hidden="true">
        {ICONS[state]}
      </div>
      <div role="status">
        <h2 className={part('title')}>{text[`${key}Title`]}</h2>
        <p className={part('body')}>{body}</p>
        {state === 'fulfilled' && result.balance ? (
          <p className={part('balance')}>
            {text.newBalance} <strong>{format.credits(result.balance.available)}</strong>
          </p>
        ) : null}
      </div>
      <div className={part('actions')}>
        {renderLink({ href: homeHref, className: part('home'), children: text.home })}
        {plansHref === null ? null : renderLink({ href: plansHref, className: part('plans'), children: text.plans })}
      </div>
    </section>
  );
}
