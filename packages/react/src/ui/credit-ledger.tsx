import { useEffect, useId, useState, type HTMLAttributes, type ReactNode } from 'react';
import type { EntryType, LedgerEntry } from '@aivah/credits';
import { useBalance, useLedger, type CreditsHookOptions, type CreditsFormat } from '@aivah/credits-react';
import { cx, useKit, visuallyHidden, type ClassNames } from './internal/parts.js';

/** The text of {@link CreditLedger}, in your language; `creditLedgerText` holds the English defaults. */
export interface CreditLedgerText {
  /** The table's name, for screen readers. */
  caption: string;
  /** Label of the entry-type filter. */
  filter: string;
  /** The filter's "everything" option. */
  allTypes: string;
  /** Column heading. */
  date: string;
  /** Column heading. */
  type: string;
  /** Column heading. */
  details: string;
  /** Column heading. */
  amount: string;
  /** Column heading. */
  balanceAfter: string;
  /** Shown until the first page arrives. */
  loading: string;
  /** Shown when there are no entries. */
  empty: string;
  /** The button that loads older entries. */
  more: string;
  /** The same button while they load. */
  loadingMore: string;
  /** Under the table: what "balance after" counts. */
  note: string;
  /** A name per entry type. */
  types: Record<EntryType, string>;
  /** Names of grant sources and features, for the details column. */
  names: Record<string, string>;
  /** The amount of a hold: what it reserved. */
  held: (credits: string) => string;
  /** The amount of a release: what went back to available. */
  released: (credits: string) => string;
  /** Under a hold that is still open. */
  outcomeActive: string;
  /** Under a captured hold; `released` is null when the held amount is unknown. */
  outcomeCaptured: (captured: string, released: string | null) => string;
  /** Under a hold released without spending. */
  outcomeReleased: string;
  /** Under a hold that expired. */
  outcomeExpired: string;
}

/** The English defaults of {@link CreditLedger}'s text. */
export const creditLedgerText: CreditLedgerText = {
  caption: 'Credit ledger',
  filter: 'Type',
  allTypes: 'All entries',
  date: 'Date',
  type: 'Type',
  details: 'Details',
  amount: 'Amount',
  balanceAfter: 'Balance after',
  loading: 'Loading…',
  empty: 'No entries yet.',
  more: 'Load more',
  loadingMore: 'Loading…',
  note: 'Balance after counts available and held credits: a hold moves credits to held, its capture spends them.',
  types: {
    grant: 'Grant',
    consume: 'Consumption',
    hold: 'Hold',
    hold_capture: 'Hold captured',
    hold_release: 'Hold released',
    hold_expire: 'Hold expired',
    grant_expired: 'Grant expired',
    reversal: 'Reversal',
    rollover: 'Rolled over',
  },
  names: {
    plan: 'Plan credits',
    purchase: 'Purchased credits',
    promo: 'Promotional credits',
    adjustment: 'Adjustment',
    conversation: 'Conversation',
    media_generation: 'Media generation',
    call: 'Call',
  },
  held: (credits: string) => `${credits} held`,
  released: (credits: string) => `${credits} released`,
  outcomeActive: 'Active: credits reserved',
  outcomeCaptured: (captured: string, released: string | null) => (released ? `Captured ${captured}, ${released} released` : `Captured ${captured}`),
  outcomeReleased: 'Released unspent',
  outcomeExpired: 'Expired, released unspent',
};

/** The parts of {@link CreditLedger} that take a class (`ac-ledger-<part>` by default). */
export type CreditLedgerPart = 'toolbar' | 'filter' | 'table' | 'row' | 'date' | 'type' | 'details' | 'outcome' | 'amount' | 'balance' | 'note' | 'more' | 'error';

/** Props of {@link CreditLedger}. Other attributes go to the root `<div>`. */
export interface CreditLedgerProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children'>, CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
  /** Entries per page (default 25). */
  limit?: number;
  /** Show the entry-type filter (default true). */
  filter?: boolean;
  /**
   * The credits a hold reserved. A ledger entry does not carry it (a hold moves credits from
   * available to held, so the entry's `amount` is 0): by default this reads the hold's
   * `metadata.heldAmount`, which you set when you create the hold.
   */
  heldAmount?: (hold: LedgerEntry) => number | undefined;
  /** Text, in your language; English by default. */
  text?: Partial<CreditLedgerText>;
  /** Classes per part, added to the default `ac-ledger-*` ones. */
  classNames?: ClassNames<CreditLedgerPart>;
  /** Locale of numbers and dates (default: the provider's). */
  locale?: string;
}

const defaultHeldAmount = (hold: LedgerEntry) => {
  const n = Number(hold.metadata?.heldAmount);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};
/** The column headings, in order; the last two are numeric. */
const COLUMNS = ['date', 'type', 'details', 'amount', 'balanceAfter'] as const;
type Text = CreditLedgerText;

/**
 * The account's audit trail: every grant, purchase, consumption and hold, newest first, with the
 * balance after each entry, one page at a time (**Load more**). A hold shows the credits it reserved
 * and its outcome (active, captured with the rest released, released, expired), so reserved credits
 * never look like nothing happened. Rows carry `data-type`.
 *
 * @example
 * <CreditLedger limit={25} heldAmount={(hold) => callHolds.get(hold.holdId!)} />
 */
export function CreditLedger(props: CreditLedgerProps): ReactNode {
  const { accountId, limit = 25, filter = true, heldAmount = defaultHeldAmount, text: _text, classNames, locale, client, queryClient, className, ...rest } = props;
  const { text, format, part } = useKit(props, creditLedgerText, 'ledger');
  const [type, setType] = useState<EntryType | ''>('');
  const ledger = useLedger({ client, queryClient, accountId, limit, type: type || undefined });
  const id = useId();
  const { entries, status, refetch } = ledger;

  // The balance's version is the sequence number of the account's last entry: when the live balance
  // moves past the newest entry shown, the ledger has news (a hold captured, a purchase), so reload.
  const version = useBalance(accountId, { client, queryClient }).balance?.version;
  const newest = entries[0]?.seq;
  useEffect(() => {
    if (!type && version !== undefined && newest !== undefined && version > newest) void refetch();
  }, [type, version, newest, refetch]);

  // Entries come newest first, so a hold's end is always loaded before the hold itself.
  const byHold = new Map<string, { hold?: LedgerEntry; end?: LedgerEntry }>();
  for (const e of entries) {
    if (!e.holdId) continue;
    const group = byHold.get(e.holdId) ?? {};
    if (e.type === 'hold') group.hold = e;
    else if (e.type.startsWith('hold_')) group.end = e; // hold_capture, hold_release, hold_expire
    byHold.set(e.holdId, group);
  }

  /** One cell of a row, labelled with its column's heading (for the stacked layout on narrow screens). */
  const cell = (name: CreditLedgerPart, column: (typeof COLUMNS)[number], children: ReactNode, kind?: string) => (
    <td className={part(name)} data-numeric={kind === undefined ? undefined : ''} data-kind={kind || undefined} data-label={text[column]}>
      {children}
    </td>
  );
  const placeholder = status === 'pending' ? text.loading : status === 'success' && entries.length === 0 ? text.empty : null;

  return (
    <div {...rest} className={cx('ac-ledger', className)}>
      {filter ? (
        <div className={part('toolbar')}>
          <label htmlFor={`${id}-type`}>{text.filter}</label>{' '}
          <select id={`${id}-type`} className={part('filter')} value={type} onChange={(e) => setType(e.target.value as EntryType | '')}>
            <option value="">{text.allTypes}</option>
            {Object.entries(text.types).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <table className={part('table')}>
        <caption style={visuallyHidden}>{text.caption}</caption>
        <thead>
          <tr>
            {COLUMNS.map((column, i) => (
              <th key={column} scope="col" data-numeric={i > 2 ? '' : undefined}>
                {text[column]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {placeholder === null ? null : (
            <tr>
              <td colSpan={5}>{placeholder}</td>
            </tr>
          )}
          {entries.map((entry) => {
            const group = byHold.get(entry.holdId ?? '');
            const held = group?.hold && heldAmount(group.hold);
            return (
              <tr key={entry.id} className={part('row')} data-type={entry.type}>
                {cell('date', 'date', format.dateTime(entry.createdAt))}
                {cell('type', 'type', text.types[entry.type] ?? entry.type)}
                {cell(
                  'details',
                  'details',
                  <>
                    {details(entry, text)}
                    {entry.type === 'hold' ? (
                      <>
                        <br />
                        <span className={part('outcome')}>{outcome(group?.end, held, text, format)}</span>
                      </>
                    ) : null}
                  </>,
                )}
                {cell('amount', 'amount', ...amount(entry, held, text, format))}
                {cell('balance', 'balanceAfter', format.number(entry.balanceAfter), '')}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className={part('note')}>{text.note}</p>
      {ledger.error ? (
        <p className={part('error')} role="alert">
          {ledger.error.message}
        </p>
      ) : null}
      {ledger.hasNextPage ? (
        <button type="button" className={part('more')} onClick={() => void ledger.fetchNextPage()} disabled={ledger.isFetchingNextPage}>
          {ledger.isFetchingNextPage ? text.loadingMore : text.more}
        </button>
      ) : null}
    </div>
  );
}

function details(entry: LedgerEntry, text: Text): string {
  if (entry.description) return entry.description;
  const name = entry.source ?? entry.feature;
  return name ? (text.names[name] ?? name) : '—';
}

function outcome(end: LedgerEntry | undefined, held: number | undefined, text: Text, format: CreditsFormat): string {
  if (!end) return text.outcomeActive;
  if (end.type === 'hold_release') return text.outcomeReleased;
  if (end.type === 'hold_expire') return text.outcomeExpired;
  const captured = -end.amount;
  return text.outcomeCaptured(format.credits(captured), held === undefined ? null : format.credits(held - captured));
}

/**
 * The amount column and its `data-kind`: the signed change of the balance, except for a hold
 * (credits moved to held) and the release of one (moved back), whose `amount` is 0 although credits moved.
 */
function amount(entry: LedgerEntry, held: number | undefined, text: Text, format: CreditsFormat): [shown: string, kind: string] {
  const { type, amount: n } = entry;
  if (type === 'hold') return [held === undefined ? '—' : text.held(format.number(held)), 'held'];
  if (n === 0 && (type === 'hold_release' || type === 'hold_expire')) return [held === undefined ? '0' : text.released(format.number(held)), 'released'];
  return [`${n > 0 ? '+' : n < 0 ? '−' : ''}${format.number(Math.abs(n))}`, n > 0 ? 'credit' : n < 0 ? 'debit' : 'zero'];
}
