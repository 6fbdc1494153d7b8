import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { CreditPackage } from '@aivah/credits';
import { useBalance, useBuyCredits, useBuyCreditsDialog, useInsufficientCredits, useOneClickPurchase, type CreditsHookOptions } from '@aivah/credits-react';
import { Modal } from './internal/modal.js';
import { cx, useKit, visuallyHidden, type ClassNames } from './internal/parts.js';

/** The text of {@link BuyCreditsDialog}, in your language; `buyCreditsDialogText` holds the English defaults. */
export interface BuyCreditsDialogText {
  /** The dialog heading (and its accessible name). */
  title: string;
  /** Under the heading. */
  description: string;
  /** The radio group's name, for screen readers. */
  packagesLabel: string;
  /** Shown until the catalogue arrives. */
  loadingPackages: string;
  /** Label of the current balance. */
  currentBalance: string;
  /** Label of the plan credits within the current balance. */
  planCredits: string;
  /** Label of the one-off credits within the current balance. */
  oneOffCredits: string;
  /** Label of the balance after the purchase. */
  projectedBalance: string;
  /** Label of the price of the selected package. */
  payable: string;
  /** The non-refundable note of the seed. */
  note: string;
  /** The button that closes the dialog. */
  cancel: string;
  /** The accessible name of the × button. */
  close: string;
  /** The button that starts Stripe Checkout. */
  buy: string;
  /** The same button while the checkout session is created. */
  buying: string;
  /** Why checkout could not start. */
  error: (message: string) => string;
  /** The one-click button with a stored card: "Buy with Visa •••• 4242". */
  buyWithCard: (brand: string, last4: string) => string;
  /** The same button while the card is charged. */
  buyingWithCard: string;
  /** The card was declined (or refused for another reason). */
  cardFailed: (message: string) => string;
  /** The one-click purchase was credited. */
  cardSucceeded: (credits: string) => string;
  /** The bank asks for authentication: the browser goes to Stripe. */
  cardNeedsAuthentication: string;
}

const BRANDS: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover', jcb: 'JCB', unionpay: 'UnionPay', diners: 'Diners Club' };

/** The English defaults of {@link BuyCreditsDialog}'s text. */
export const buyCreditsDialogText: BuyCreditsDialogText = {
  title: 'Buy Credits',
  description: 'One-off packages stack on top of your plan credits.',
  packagesLabel: 'Credit package',
  loadingPackages: 'Loading packages…',
  currentBalance: 'Current balance',
  planCredits: 'Plan credits',
  oneOffCredits: 'One-off credits',
  projectedBalance: 'Projected balance after purchase',
  payable: 'Payable amount',
  note: 'Always double-check with the requestor or finance team before finalizing a purchase—credit buys are typically non-refundable.',
  cancel: 'Cancel',
  close: 'Close',
  buy: 'Buy credits',
  buying: 'Starting checkout…',
  error: (message: string) => `Could not start checkout: ${message}`,
  buyWithCard: (brand: string, last4: string) => `Buy with ${BRANDS[brand] ?? brand} •••• ${last4}`,
  buyingWithCard: 'Charging your card…',
  cardFailed: (message: string) => `Your card was not charged: ${message} Try another card through checkout.`,
  cardSucceeded: (credits: string) => `${credits} added to your balance.`,
  cardNeedsAuthentication: 'Your bank asks you to confirm this payment. Taking you to checkout…',
};

/** The parts of {@link BuyCreditsDialog} that take a class (`ac-buy-<part>` by default). */
export type BuyCreditsDialogPart =
  | 'header' | 'title' | 'description' | 'close' | 'body' | 'packages' | 'package' | 'radio' | 'credits' | 'price'
  | 'summary' | 'row' | 'current' | 'plan' | 'oneOff' | 'projected' | 'payable' | 'note' | 'error' | 'footer' | 'cancel' | 'buy'
  | 'saved-card' | 'card-status';

/** Props of {@link BuyCreditsDialog}. */
export interface BuyCreditsDialogProps extends CreditsHookOptions {
  /** Controlled open state; by default the dialog follows `useBuyCreditsDialog()` (opened by Add credit and the toast). */
  open?: boolean;
  /** Called when the dialog asks to close (Escape, Cancel, the backdrop) or opens, in controlled mode. */
  onOpenChange?: (open: boolean) => void;
  /** The buying account (default `me`). */
  accountId?: string;
  /** The package selected when nothing better is known (default: the cheapest). */
  defaultPackageId?: string;
  /** Sends the browser to Stripe Checkout (default `window.location.assign`). */
  navigate?: (url: string) => void;
  /** Text, in your language; English by default. */
  text?: Partial<BuyCreditsDialogText>;
  /** Classes of the `<dialog>`, added to `ac-dialog`. */
  className?: string;
  /** Classes per part, added to the default `ac-buy-*` ones. */
  classNames?: ClassNames<BuyCreditsDialogPart>;
  /** Locale of numbers and prices (default: the provider's). */
  locale?: string;
  /** Offer "Buy with Visa •••• 4242" when the account has a stored card (default true). */
  savedCards?: boolean;
}

/**
 * The seed's Buy Credits dialog (user menu → Add credit): the one-off packages as a radio group, the
 * current balance, the projected balance and the payable amount, the non-refundable note, and
 * **Buy credits**, which starts Stripe Checkout. With a stored card it also offers **Buy with Visa
 * •••• 4242**: one click, credited at once (or, when the bank asks, sent through Stripe to confirm). A native modal `<dialog>`: the page behind is inert,
 * Escape closes it and focus returns to the opener.
 *
 * Opened from the out-of-credits toast, it selects the smallest package that covers the shortfall.
 *
 * @example
 * <CreditsProvider client={creditsClient}>
 *   <AvailableCredits />
 *   <BuyCreditsDialog />
 *   <OutOfCreditsToast />
 * </CreditsProvider>
 */
export function BuyCreditsDialog(props: BuyCreditsDialogProps): ReactNode {
  const dialog = useBuyCreditsDialog(props);
  const controlled = props.open !== undefined;
  const open = controlled ? props.open! : dialog.open;
  const setOpen = (next: boolean) => {
    if (!controlled) dialog.setOpen(next);
    props.onOpenChange?.(next);
  };
  const id = useId();
  return (
    <Modal
      open={open}
      onClose={() => setOpen(false)}
      labelledBy={`${id}-title`}
      describedBy={`${id}-description`}
      className={cx('ac-dialog', props.className)}
    >
      <BuyCreditsForm {...props} id={id} suggested={controlled ? undefined : dialog.packageId} onCancel={() => setOpen(false)} />
    </Modal>
  );
}

/** The smallest package that covers `shortfall` (else the largest). */
function covering(packages: CreditPackage[], shortfall: number): CreditPackage | undefined {
  if (shortfall <= 0) return undefined;
  const sorted = [...packages].sort((a, b) => a.credits - b.credits);
  return sorted.find((p) => p.credits >= shortfall) ?? sorted[sorted.length - 1];
}

function BuyCreditsForm(props: BuyCreditsDialogProps & { id: string; suggested: string | undefined; onCancel: () => void }) {
  const { id, accountId, navigate, savedCards = true } = props;
  const { text, options, format, part } = useKit(props, buyCreditsDialogText, 'buy');
  const { planCredits, oneOffCredits } = useBalance(accountId, options);
  const buy = useBuyCredits({ ...options, accountId, navigate });
  const oneClick = useOneClickPurchase({ ...options, accountId, navigate, enabled: savedCards });
  const card = savedCards ? oneClick.card : undefined;
  const payment = oneClick.payment;
  const { shortfall } = useInsufficientCredits(options);

  // Choose the first selection once the catalogue is here: what the opener suggested, else enough
  // for the blocked action, else the app's default, else the cheapest.
  const { packages, selected, select, available, projectedBalance } = buy;
  useEffect(() => {
    if (selected || packages.length === 0) return;
    const byId = (pid: string | undefined) => packages.find((p) => p.id === pid);
    select((byId(props.suggested) ?? covering(packages, shortfall) ?? byId(props.defaultPackageId) ?? packages[0])!.id);
  }, [packages, selected, select, props.suggested, props.defaultPackageId, shortfall]);

  // Start keyboard users on the package choice (the dialog focuses its first control, Close, by itself).
  const form = useRef<HTMLFormElement>(null);
  const focused = useRef(false);
  useEffect(() => {
    const radio = form.current?.querySelector<HTMLInputElement>('input[type=radio]:checked');
    if (!radio || focused.current) return;
    focused.current = true;
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('dialog') === radio.closest('dialog')) radio.focus();
  }, [selected]);

  /** One line of the summary: a label and its amount. */
  const row = (label: string, name: BuyCreditsDialogPart, value: string) => (
    <div className={part('row')}>
      <dt>{label}</dt>
      <dd className={part(name)}>{value}</dd>
    </div>
  );
  const busy = !selected || buy.isPending;

  return (
    <form
      ref={form}
      className="ac-buy"
      onSubmit={(event) => {
        event.preventDefault();
        void buy.buy();
      }}
    >
      <div className={part('header')}>
        <h2 id={`${id}-title`} className={part('title')}>
          {text.title}
        </h2>
        <p id={`${id}-description`} className={part('description')}>
          {text.description}
        </p>
        <button type="button" className={part('close')} aria-label={text.close} onClick={props.onCancel}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div className={part('body')}>
        <fieldset className={part('packages')}>
          <legend style={visuallyHidden}>{text.packagesLabel}</legend>
          {packages.length === 0 ? <p>{text.loadingPackages}</p> : null}
          {packages.map((pkg) => (
            <label key={pkg.id} className={part('package')} data-package={pkg.id} data-selected={selected === pkg || undefined}>
              <input
                type="radio"
                className={part('radio')}
                name={`${id}-package`}
                value={pkg.id}
                checked={selected === pkg}
                onChange={() => select(pkg.id)}
              />
              <span className={part('credits')}>{format.credits(pkg.credits)}</span>{' '}
              <span className={part('price')}>{format.price(pkg.price)}</span>
            </label>
          ))}
        </fieldset>
        <dl className={part('summary')} aria-live="polite">
          {row(text.currentBalance, 'current', available === undefined ? '…' : format.credits(available))}
          {planCredits ? (
            <>
              {row(text.planCredits, 'plan', format.credits(planCredits))}
              {row(text.oneOffCredits, 'oneOff', format.credits(oneOffCredits ?? 0))}
            </>
          ) : null}
          {row(text.projectedBalance, 'projected', projectedBalance === undefined ? '—' : format.credits(projectedBalance))}
          {row(text.payable, 'payable', selected ? format.price(selected.price) : '—')}
        </dl>
        <p className={part('note')}>{text.note}</p>
        {buy.error ? (
          <p className={part('error')} role="alert">
            {text.error(buy.error.message)}
          </p>
        ) : null}
        {payment?.status === 'failed' || oneClick.error ? (
          <p className={part('error')} role="alert" data-card-status="failed">
            {text.cardFailed(payment?.failureMessage ?? oneClick.error?.message ?? '')}
          </p>
        ) : null}
        {payment && payment.status !== 'failed' ? (
          <p className={part('card-status')} role="status" data-card-status={payment.status}>
            {payment.status === 'requires_action' ? text.cardNeedsAuthentication : text.cardSucceeded(format.credits(payment.credits))}
          </p>
        ) : null}
      </div>
      <div className={part('footer')}>
        <button type="button" className={part('cancel')} onClick={props.onCancel}>
          {text.cancel}
        </button>
        {card ? (
          <button
            type="button"
            className={part('saved-card')}
            data-card={card.id}
            disabled={busy || oneClick.isPending}
            onClick={() => void oneClick.buy(selected!.id)}
          >
            {oneClick.isPending ? text.buyingWithCard : text.buyWithCard(card.brand, card.last4)}
          </button>
        ) : null}
        <button type="submit" className={part('buy')} disabled={busy} aria-disabled={busy}>
          {buy.isPending ? text.buying : text.buy}
        </button>
      </div>
    </form>
  );
}
