/**
 * The Auto top-up operations: `getAutoTopUp` and `updateAutoTopUp`.
 * @module
 */
import { findPackage } from '../../catalogue.js';
import type { AutoTopUpSettings } from '../../ledger/types.js';
import { accountOf, withIdempotency, type Operation, type OperationSuccessBody } from '../context.js';
import { requireStripe } from '../payments.js';
import { HttpProblem } from '../problem.js';
import { storedCards } from './payment-methods.js';

type AutoTopUpBody = OperationSuccessBody<'getAutoTopUp'>;

/** The in-app notice of a state that needs the user, or null. */
function noticeOf(settings: AutoTopUpSettings): AutoTopUpBody['notice'] {
  const latest = settings.latest;
  if (settings.state === 'action_required' && latest?.status === 'action_required') {
    return {
      kind: 'action_required',
      message: `Your bank asks you to confirm the automatic top-up of ${latest.credits.toLocaleString('en-US')} credits.`,
      actionUrl: latest.actionUrl,
      occurredAt: latest.updatedAt,
    };
  }
  if (settings.state === 'paused') {
    const attempts = latest?.attempts ?? 0;
    return {
      kind: 'failed',
      message: `Auto top-up is paused: the card was declined${attempts > 1 ? ` ${attempts} times` : ''}. Buy credits or save a new card to resume.`,
      actionUrl: null,
      occurredAt: latest?.updatedAt ?? settings.updatedAt ?? new Date(0).toISOString(),
    };
  }
  return null;
}

/** The spec's `AutoTopUp` of the ledger's settings. */
export function autoTopUpBody(settings: AutoTopUpSettings): AutoTopUpBody {
  const { latest } = settings;
  return {
    accountId: settings.accountId,
    enabled: settings.enabled,
    mode: settings.mode,
    threshold: settings.threshold,
    percent: settings.percent,
    effectiveThreshold: settings.effectiveThreshold,
    packageId: settings.packageId,
    monthlyCountCap: settings.monthlyCountCap,
    monthlyAmountCap: settings.monthlyAmountCap,
    state: settings.state,
    usedThisMonth: settings.usedThisMonth,
    latest: latest
      ? {
          id: latest.id,
          packageId: latest.packageId,
          credits: latest.credits,
          amountTotal: latest.amount,
          currency: latest.currency,
          status: latest.status,
          attempts: latest.attempts,
          paymentIntentId: latest.paymentIntentId,
          actionUrl: latest.actionUrl,
          lastError: latest.lastError,
          createdAt: latest.createdAt,
          updatedAt: latest.updatedAt,
        }
      : null,
    notice: noticeOf(settings),
    updatedAt: settings.updatedAt,
  };
}

/** `getAutoTopUp`: The settings, this month's use of the cap, the latest top-up and the in-app notice. */
export const getAutoTopUp: Operation<'getAutoTopUp'> = async (ctx, input) => ({
  status: 200,
  body: autoTopUpBody(await ctx.ledger.getAutoTopUp(accountOf(input))),
});

/**
 * `updateAutoTopUp`: Stores the settings, priced from the server catalogue. Turning it on needs a
 * stored card to charge (`409 PAYMENT_METHOD_REQUIRED` otherwise).
 */
export const updateAutoTopUp: Operation<'updateAutoTopUp'> = async (ctx, input) => {
  const accountId = accountOf(input);
  const body = input.body;
  const pkg = findPackage(ctx.catalogue, body.packageId);
  if (!pkg) throw new HttpProblem('PACKAGE_NOT_FOUND', `No package ${body.packageId}; see listCreditPackages.`);
  if (body.mode === 'absolute' && (body.threshold === undefined || body.threshold === null)) {
    throw new HttpProblem('VALIDATION_FAILED', 'threshold is required in absolute mode.', { errors: [{ path: '/threshold', message: 'required for absolute mode' }] });
  }
  return withIdempotency(ctx, input, async () => {
    if (body.enabled) {
      const { cards } = await storedCards(ctx, requireStripe(ctx), accountId);
      if (cards.length === 0) {
        throw new HttpProblem('PAYMENT_METHOD_REQUIRED', 'Auto top-up charges a stored card, and this account has none: buy once through createCheckoutSession, which saves the card.');
      }
    }
    const settings = await ctx.ledger.updateAutoTopUp(accountId, {
      enabled: body.enabled,
      mode: body.mode,
      threshold: body.threshold ?? null,
      percent: body.percent,
      package: { id: pkg.id, credits: pkg.credits, amount: pkg.price.amount, currency: pkg.price.currency },
      monthlyCountCap: body.monthlyCountCap ?? null,
      monthlyAmountCap: body.monthlyAmountCap ?? null,
    });
    return { status: 200, body: autoTopUpBody(settings) };
  });
};
