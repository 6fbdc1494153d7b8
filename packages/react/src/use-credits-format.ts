import { useMemo } from 'react';
import { formatCredits } from '@aivah/credits';
import { useCreditsContext, type CreditsHookOptions } from './internal/context.js';

/** Formatters for credits, numbers, prices and dates in one locale, all on `Intl`. */
export interface CreditsFormat {
  /** The locale every formatter uses. */
  locale: string;
  /** "2,341 Credits" ("1 Credit"). */
  credits: (n: number) => string;
  /** "2,341". */
  number: (n: number) => string;
  /** A price as the seed lists it: "$10" for whole amounts, "$10.50" otherwise. */
  price: (money: { amount: number; currency: string }) => string;
  /** A day: "Nov 30, 2026". Takes a `Date`, an ISO timestamp or a `YYYY-MM-DD` day (read as UTC). */
  date: (value: Date | string) => string;
  /** A day without the year, for chart axes: "Nov 30". */
  shortDate: (value: Date | string) => string;
  /** A moment: "Nov 30, 2026, 2:05 PM". */
  dateTime: (value: Date | string) => string;
}

const cache = new Map<string, CreditsFormat>();
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The formatters of `locale` (cached: `Intl` objects are costly to build). */
export function creditsFormat(locale = 'en-US'): CreditsFormat {
  let f = cache.get(locale);
  if (f) return f;
  const number = new Intl.NumberFormat(locale);
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  // A plain day has no time zone: format it as the UTC day it names, wherever the browser is.
  const dayFormat = (options: Intl.DateTimeFormatOptions) => {
    const utc = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    const local = new Intl.DateTimeFormat(locale, options);
    return (v: Date | string) => (typeof v === 'string' && DAY.test(v) ? utc.format(new Date(`${v}T00:00:00Z`)) : local.format(new Date(v)));
  };
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  f = {
    locale,
    credits: (n) => formatCredits(n, locale),
    number: (n) => number.format(n),
    price({ amount, currency }) {
      let m = moneyFormats.get(currency);
      if (!m) {
        // Cents only when there are any: "$10", "$10.50" (ES2023; older engines show "$10.00").
        const options = { style: 'currency', currency, trailingZeroDisplay: 'stripIfInteger' } as Intl.NumberFormatOptions;
        moneyFormats.set(currency, (m = new Intl.NumberFormat(locale, options)));
      }
      return m.format(amount / 10 ** (m.resolvedOptions().maximumFractionDigits ?? 2));
    },
    date: dayFormat({ dateStyle: 'medium' }),
    shortDate: dayFormat({ month: 'short', day: 'numeric' }),
    dateTime: (v) => dateTime.format(new Date(v)),
  };
  cache.set(locale, f);
  return f;
}

/**
 * The provider's formatters (its `locale`, else `en-US`): use them in your own screens so that
 * numbers, prices and dates read the same everywhere.
 *
 * @example
 * const format = useCreditsFormat();
 * format.credits(2341);                                // "2,341 Credits"
 * format.price({ amount: 1000, currency: 'usd' });     // "$10"
 * format.date('2026-11-30T14:05:00Z');                  // "Nov 30, 2026"
 */
export function useCreditsFormat(options?: CreditsHookOptions & { locale?: string }): CreditsFormat {
  const { locale } = useCreditsContext(options);
  const resolved = options?.locale ?? locale ?? 'en-US';
  return useMemo(() => creditsFormat(resolved), [resolved]);
}
