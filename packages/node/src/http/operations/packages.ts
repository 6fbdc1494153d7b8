/**
 * The Packages operation: `listCreditPackages`.
 * @module
 */
import type { Operation } from '../context.js';

/** `listCreditPackages`: The server catalogue, cheapest first. */
export const listCreditPackages: Operation<'listCreditPackages'> = async (ctx) => ({
  status: 200,
  body: { data: [...ctx.catalogue].sort((a, b) => a.price.amount - b.price.amount) },
});
