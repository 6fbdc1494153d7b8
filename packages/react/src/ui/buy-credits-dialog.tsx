import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { CreditPackage } from '@aivah/credits';
import { useBalance, useBuyCredits, useBuyCreditsDialog, useInsufficientCredits, type CreditsHookOptions, useCreditsFormat } from '@aivah/credits-react';
import { Modal } from './internal/modal.js';
import { cx, partClasses, visuallyHidden, type ClassNames } from './internal/parts.js';

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
}

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
};

/** The parts of {@link BuyCreditsDialog} that take a class (`ac-buy-<part>` by default). */
export type BuyCreditsDialogPart =
  | 'header' | 'title' | 'description' | 'close' | 'body' | 'packages' | 'package' | 'radio' | 'credits' | 'price'
  | 'summary' | 'row' | 'current' | 'plan' | 'oneOff' | 'projected' | 'payable' | 'note' | 'error' | 'footer' | 'cancel' | 'buy';

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
}

/**
 * The seed's Buy Credits dialog (user menu → Add credit): the one-off packages as a radio group, the
 * current balance, the projected balance and the payable amount, the non-refundable note, and
 * **Buy credits**, which starts Stripe Checkout. A native modal `<dialog>`: the page behind is inert,
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
  const { id, classNames, client, queryClient, locale } = props;
  const text = { ...buyCreditsDialogText, ...props.text };
  const options = { client, queryClient, locale };
  const buy = useBuyCredits({ ...options, accountId: props.accountId, navigate: props.navigate });
  const balance = useBalance(props.accountId ?? 'me', options);
  const { shortfall } = useInsufficientCredits(options);
  const format = useCreditsFormat(options);
  const part = partClasses('buy', classNames);

  // Choose the first selection once the catalogue is here: what the opener suggested, else enough
  // for the blocked action, else the app's default, else the cheapest.
  const { packages, selected, select } = buy;
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
            <label key={pkg.id} className={part('package')} data-package={pkg.id} data-selected={selected?.id === pkg.id || undefined}>
              <input
                type="radio"
                className={part('radio')}
                name={`${id}-package`}
                value={pkg.id}
                checked={selected?.id === pkg.id}
                onChange={() => select(pkg.id)}
              />
              <span className={part('credits')}>{format.credits(pkg.credits)}</span>{' '}
              <span className={part('price')}>{format.price(pkg.price)}</span>
            </label>
          ))}
        </fieldset>
        <dl className={part('summary')} aria-live="polite">
          <div className={part('row')}>
            <dt>{text.currentBalance}</dt>
            <dd className={part('current')}>{buy.available === undefined ? '…' : format.credits(buy.available)}</dd>
          </div>
          {balance.planCredits !== undefined && balance.planCredits > 0 ? (
            <>
              <div className={part('row')}>
                <dt>{text.planCredits}</dt>
                <dd className={part('plan')}>{format.credits(balance.planCredits)}</dd>
              </div>
              <div className={part('row')}>
                <dt>{text.oneOffCredits}</dt>
                <dd className={part('oneOff')}>{format.credits(balance.oneOffCredits ?? 0)}</dd>
              </div>
            </>
          ) : null}
          <div className={part('row')}>
            <dt>{text.projectedBalance}</dt>
            <dd className={part('projected')}>{buy.projectedBalance === undefined ? '—' : format.credits(buy.projectedBalance)}</dd>
          </div>
          <div className={part('row')}>
            <dt>{text.payable}</dt>
            <dd className={part('payable')}>{selected ? format.price(selected.price) : '—'}</dd>
          </div>
        </dl>
        <p className={part('note')}>{text.note}</p>
        {buy.error ? (
          <p className={part('error')} role="alert">
            {text.error(buy.error.message)}
          </p>
        ) : null}
      </div>
      <div className={part('footer')}>
        <button type="button" className={part('cancel')} onClick={props.onCancel}>
          {text.cancel}
        </button>
        <button type="submit" className={part('buy')} disabled={!selected || buy.isPending} aria-disabled={!selected || buy.isPending}>
          {buy.isPending ? text.buying : text.buy}
        </button>
      </div>
    </form>
  );
}
