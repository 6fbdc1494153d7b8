const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, currency?: string): Intl.NumberFormat {
  const key = `${locale}|${currency ?? ''}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, currency ? { style: 'currency', currency } : undefined);
    numberFormats.set(key, f);
  }
  return f;
}

/**
 * A credit amount for people: grouped digits and the unit, singular for exactly one.
 * `locale` defaults to `en-US` so server and browser render the same text.
 *
 * @example
 * formatCredits(2341);          // "2,341 Credits"
 * formatCredits(1);             // "1 Credit"
 * formatCredits(2341, 'de-DE'); // "2.341 Credits"
 */
export function formatCredits(n: number, locale = 'en-US'): string {
  return `${numberFormat(locale).format(n)} ${n === 1 ? 'Credit' : 'Credits'}`;
}

/**
 * Money in integer minor units (as the API and Stripe write it) for people, with `Intl`.
 * The currency's own number of decimals is used (`jpy` has none).
 *
 * @example
 * formatMoney({ amount: 1000, currency: 'usd' }); // "$10.00"
 * formatMoney({ amount: 500, currency: 'jpy' });  // "¥500"
 */
export function formatMoney(m: { amount: number; currency: string }, locale = 'en-US'): string {
  const f = numberFormat(locale, m.currency.toUpperCase());
  return f.format(m.amount / 10 ** (f.resolvedOptions().maximumFractionDigits ?? 2));
}
