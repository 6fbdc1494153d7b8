/**
 * One Stripe customer per account, found by metadata.
 * @module
 */
import type { StripeLike } from './stripe-like.js';

/** The account's Stripe customer (found by `metadata.aivah_account_id`), created when missing. */
export async function customerFor(stripe: StripeLike, accountId: string): Promise<string> {
  const found = await stripe.customers.search({ query: `metadata['aivah_account_id']:'${accountId}'`, limit: 1 });
  if (found.data[0]) return found.data[0].id;
  // Search is eventually consistent; Stripe's idempotency key keeps a quick retry from creating a twin.
  const created = await stripe.customers.create({ metadata: { aivah_account_id: accountId } }, { idempotencyKey: `aivah-customer:${accountId}` });
  return created.id;
}
