/**
 * One Stripe customer per account, kept with the account.
 * @module
 */
import type { PaymentCustomers } from '../ledger/adapter.js';
import type { StripeLike } from './stripe-like.js';

/**
 * The account's Stripe customer, created when first needed. With `store` (the ledger) the id is
 * kept server-side with the account and read from there; a customer made before ids were stored is
 * found once by `metadata.aivah_account_id` and then stored. Of concurrent first calls, the stored
 * id wins for all (Stripe's idempotency key also keeps a quick retry from creating a twin).
 *
 * Without `store` (the signature before stored customers) it searches by metadata every time.
 */
export async function customerFor(stripe: StripeLike, accountId: string, store?: PaymentCustomers): Promise<string> {
  const stored = await store?.getPaymentCustomer(accountId);
  if (stored) return stored;
  const found = await stripe.customers.search({ query: `metadata['aivah_account_id']:'${accountId}'`, limit: 1 });
  const id =
    found.data[0]?.id ??
    (await stripe.customers.create({ metadata: { aivah_account_id: accountId } }, { idempotencyKey: `aivah-customer:${accountId}` })).id;
  return store ? store.savePaymentCustomer(accountId, id) : id;
}
