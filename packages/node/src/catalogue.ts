/**
 * The package catalogue. Prices live on the server only: the browser sends a `packageId`, never
 * an amount, so a purchase can never be priced by the client.
 * @module
 */

/** A one-off package of credits. */
export interface CreditPackage {
  /** Stable id, e.g. `credits_2000`; stored in the Stripe session metadata. */
  id: string;
  /** Display name, e.g. "2,000 Credits". */
  name: string;
  /** Credits one purchase adds. */
  credits: number;
  /** Price in minor units and lower-case ISO 4217 currency. */
  price: {
    /** Minor units (cents for USD). */
    amount: number;
    /** ISO 4217, lower case. */
    currency: string;
  };
}

function pkg(credits: number, cents: number): CreditPackage {
  return { id: `credits_${credits}`, name: `${credits.toLocaleString('en-US')} Credits`, credits, price: { amount: cents, currency: 'usd' } };
}

/** The six packages of the Aivah credits page, cheapest first. */
export const defaultCatalogue: readonly CreditPackage[] = Object.freeze([
  pkg(2000, 1000),
  pkg(5000, 2000),
  pkg(10000, 3000),
  pkg(20000, 4000),
  pkg(30000, 5000),
  pkg(40000, 6000),
]);

/** Finds a package by id. */
export function findPackage(catalogue: readonly CreditPackage[], id: string): CreditPackage | undefined {
  return catalogue.find((p) => p.id === id);
}

/** Formats a price for people, e.g. `$10.00`. */
export function formatPrice(price: CreditPackage['price']): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: price.currency.toUpperCase() }).format(price.amount / 100);
}
