/**
 * A paid plan's price on a Stripe subscription. A subscription item's `price_data` must name a
 * product (it cannot make one from `product_data` as Checkout does), so each plan has its own
 * product with a fixed id, `aivah_plan_<plan id>`, made on first use: the same product for every
 * change to the plan, on any instance, and its name is what invoices show.
 * @module
 */
import type { CreditPlan } from '../plans.js';
import { isStripeAlreadyExists, isStripeNotFound, type StripeLike, type StripeSubscriptionLike, type StripeSubscriptionUpdateParams } from './stripe-like.js';

/** The product id of a plan: `aivah_plan_<plan id>`. */
export function planProductId(plan: CreditPlan): string {
  return `aivah_plan_${plan.id}`;
}

type PriceData = NonNullable<StripeSubscriptionUpdateParams['items']>[number]['price_data'];

/**
 * The `price_data` of `plan` for a subscription item: the catalogue's price, on the plan's product,
 * which is made when it does not exist yet (two instances making it at once are both fine).
 */
export async function planPriceData(products: NonNullable<StripeLike['products']>, plan: CreditPlan): Promise<PriceData> {
  const product = planProductId(plan);
  try {
    await products.retrieve(product);
  } catch (error) {
    if (!isStripeNotFound(error)) throw error;
    try {
      await products.create({ id: product, name: `${plan.name} plan`, metadata: { aivah_plan_id: plan.id } });
    } catch (created) {
      if (!isStripeAlreadyExists(created)) throw created;
    }
  }
  return { currency: plan.price.currency, product, unit_amount: plan.price.amount, recurring: { interval: plan.interval } };
}

/** The subscription's one item (a plan's subscription has one). */
export function planItem(subscription: StripeSubscriptionLike): NonNullable<StripeSubscriptionLike['items']>['data'][number] | null {
  return subscription.items?.data[0] ?? null;
}

/** Whether the item is charged `plan`'s price (same amount, currency and interval). */
export function chargesPlanPrice(item: NonNullable<ReturnType<typeof planItem>>, plan: CreditPlan): boolean {
  const price = item.price;
  return !!price && price.unit_amount === plan.price.amount && price.currency === plan.price.currency && price.recurring?.interval === plan.interval;
}
