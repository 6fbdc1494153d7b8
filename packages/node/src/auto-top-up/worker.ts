/**
 * The auto top-up worker: charges the top-ups that downward crossings left in the ledger's
 * outbox (`claimTopUps`), off-session, and records each outcome (`settleTopUp`).
 *
 * Why it never charges twice: the charge's Stripe idempotency key is derived from the crossing
 * (`aivah-topup:<account>:<crossing seq>:<attempt>`), and the attempt number only moves once an
 * outcome is recorded. A worker that dies after Stripe answered leaves the top-up `pending`; when
 * its lease runs out, the next claim (here or on another instance) sends the same key, Stripe
 * answers the same PaymentIntent, and the grant keyed by that PaymentIntent credits it once —
 * as does the `payment_intent.succeeded` webhook if it comes first.
 * @module
 */
import { defaultCatalogue, findPackage, type CreditPackage } from '../catalogue.js';
import type { LedgerAdapter } from '../ledger/adapter.js';
import type { TopUp } from '../ledger/types.js';
import type { Logger } from '../logger.js';
import { checkoutParams } from '../stripe/checkout.js';
import { chargeSavedCard } from '../stripe/off-session.js';
import type { StripeLike, StripePaymentIntent } from '../stripe/stripe-like.js';

/** Options of {@link createAutoTopUpWorker}. */
export interface AutoTopUpWorkerOptions {
  /** The ledger: its auto top-up and payment customer slices. */
  ledger: Pick<LedgerAdapter, 'claimTopUps' | 'settleTopUp' | 'getPaymentCustomer'>;
  /** The Stripe client (or the emulator). */
  stripe: StripeLike;
  /** The catalogue, for package names and the Checkout of a top-up that needs the buyer. Default {@link defaultCatalogue}. */
  catalogue?: readonly CreditPackage[];
  /** The app's absolute URL: the Checkout of a top-up that needs authentication returns there (`/payment?...`). */
  publicUrl: string;
  /** Charges of one top-up before auto top-up pauses (`topup.failed`). Default 4. */
  maxAttempts?: number;
  /** Wait before each retry of a declined charge, by attempt (the last repeats). Default 1 min, 10 min, 1 h. */
  retryDelaysMs?: readonly number[];
  /** How long a claimed top-up is reserved for this worker. Default 2 minutes (longer than a Stripe call's timeout). */
  leaseMs?: number;
  /** Top-ups claimed per run. Default 10. */
  batchSize?: number;
  /** Time between runs of {@link AutoTopUpWorker.start}. Default 2 s. */
  intervalMs?: number;
  /** Clock. Default `() => new Date()`. */
  now?: () => Date;
  /** Default: `console`. */
  logger?: Logger;
}

/** What one run did. */
export interface AutoTopUpRun {
  /** Top-ups claimed. */
  claimed: number;
  /** Charged and credited. */
  succeeded: number;
  /** Waiting for the buyer to authenticate. */
  actionRequired: number;
  /** Declined and scheduled again. */
  retried: number;
  /** Declined for the last time: auto top-up paused. */
  failed: number;
  /** Left for the next claim (processing at the bank, or an error talking to Stripe or the store). */
  deferred: number;
}

/** A worker. Run it in every instance: claims keep them from charging the same top-up. */
export interface AutoTopUpWorker {
  /** One run now. */
  runOnce(): Promise<AutoTopUpRun>;
  /** Runs every `intervalMs` until {@link AutoTopUpWorker.stop}; the timer does not keep the process alive. */
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/** The Stripe idempotency key of a top-up's charge: the crossing and the attempt. */
export function topUpChargeKey(topUp: Pick<TopUp, 'accountId' | 'crossingSeq' | 'attempts'>): string {
  return `aivah-topup:${topUp.accountId}:${topUp.crossingSeq}:${topUp.attempts}`;
}

/**
 * Creates the auto top-up worker.
 *
 * @example
 * const topUps = createAutoTopUpWorker({ ledger, stripe, publicUrl: 'https://app.example.com' });
 * topUps.start();
 * process.on('SIGTERM', () => void topUps.stop());
 */
export function createAutoTopUpWorker(options: AutoTopUpWorkerOptions): AutoTopUpWorker {
  const { ledger, stripe } = options;
  const catalogue = options.catalogue ?? defaultCatalogue;
  const logger = options.logger ?? console;
  const clock = options.now ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 4;
  const delays = options.retryDelaysMs ?? [60_000, 600_000, 3_600_000];
  const publicUrl = options.publicUrl.replace(/\/+$/, '');

  const cancelQuietly = async (intent: StripePaymentIntent | null) => {
    if (!intent || intent.status === 'succeeded' || intent.status === 'canceled') return;
    await stripe.paymentIntents.cancel(intent.id).catch(() => undefined);
  };

  /** A Checkout for the package of a top-up that needs the buyer: it authenticates and credits once, by session. */
  async function actionUrlFor(topUp: TopUp, customer: string): Promise<string | null> {
    const pkg = findPackage(catalogue, topUp.packageId);
    if (!pkg) return null;
    const session = await stripe.checkout.sessions.create(
      checkoutParams({ accountId: topUp.accountId, customer, pkg, successUrl: `${publicUrl}/payment?state=success&session_id={CHECKOUT_SESSION_ID}`, cancelUrl: `${publicUrl}/payment?state=cancel` }),
      { idempotencyKey: `${topUpChargeKey(topUp)}:authenticate` },
    );
    return session.url;
  }

  async function charge(topUp: TopUp): Promise<keyof Omit<AutoTopUpRun, 'claimed'>> {
    const customer = await ledger.getPaymentCustomer(topUp.accountId);
    const cards = customer ? (await stripe.customers.listPaymentMethods(customer, { type: 'card', limit: 1 })).data : [];
    if (!customer || !cards[0]) {
      await ledger.settleTopUp(topUp.accountId, topUp.id, { outcome: 'failed', paymentIntentId: null, error: 'no_payment_method', attempt: topUp.attempts });
      return 'failed';
    }
    // The price is the one counted against the cap when the crossing happened.
    const pkg: CreditPackage = {
      id: topUp.packageId,
      name: findPackage(catalogue, topUp.packageId)?.name ?? topUp.packageId,
      credits: topUp.credits,
      price: { amount: topUp.amount, currency: topUp.currency },
    };
    const result = await chargeSavedCard(stripe, {
      accountId: topUp.accountId,
      customer,
      paymentMethodId: cards[0].id,
      pkg,
      kind: 'auto_top_up',
      idempotencyKey: topUpChargeKey(topUp),
      metadata: { aivah_top_up_id: topUp.id },
    });
    if (result.status === 'succeeded') {
      await ledger.settleTopUp(topUp.accountId, topUp.id, { outcome: 'succeeded', paymentIntentId: result.paymentIntent.id });
      return 'succeeded';
    }
    if (result.status === 'processing') return 'deferred';
    const paymentIntentId = result.paymentIntent?.id ?? null;
    if (result.status === 'requires_action') {
      await cancelQuietly(result.paymentIntent);
      const actionUrl = await actionUrlFor(topUp, customer);
      await ledger.settleTopUp(topUp.accountId, topUp.id, { outcome: 'action_required', paymentIntentId, actionUrl, error: result.failure.code, attempt: topUp.attempts });
      return 'actionRequired';
    }
    const error = result.failure.declineCode ? `${result.failure.code}:${result.failure.declineCode}` : result.failure.code;
    if (topUp.attempts + 1 >= maxAttempts) {
      await ledger.settleTopUp(topUp.accountId, topUp.id, { outcome: 'failed', paymentIntentId, error, attempt: topUp.attempts });
      return 'failed';
    }
    const delay = delays[Math.min(topUp.attempts, delays.length - 1)] ?? 60_000;
    await ledger.settleTopUp(topUp.accountId, topUp.id, { outcome: 'retry', paymentIntentId, error, nextAttemptAt: new Date(clock().getTime() + delay), attempt: topUp.attempts });
    return 'retried';
  }

  async function runOnce(): Promise<AutoTopUpRun> {
    const run: AutoTopUpRun = { claimed: 0, succeeded: 0, actionRequired: 0, retried: 0, failed: 0, deferred: 0 };
    const claimed = await ledger.claimTopUps(options.batchSize ?? 10, options.leaseMs ?? 120_000);
    run.claimed = claimed.length;
    await Promise.all(
      claimed.map(async (topUp) => {
        try {
          const outcome = await charge(topUp);
          run[outcome] += 1;
          logger.info(`auto top-up ${outcome}`, { accountId: topUp.accountId, topUpId: topUp.id, attempt: topUp.attempts + 1 });
        } catch (error) {
          // Stripe or the store failed: the lease runs out and the same key is tried again.
          run.deferred += 1;
          logger.error('auto top-up deferred', { accountId: topUp.accountId, topUpId: topUp.id, error: String((error as Error)?.message ?? error) });
        }
      }),
    );
    return run;
  }

  let timer: ReturnType<typeof setInterval> | null = null;
  let current: Promise<unknown> = Promise.resolve();
  let running = false;
  return {
    runOnce,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = true;
        current = runOnce()
          .catch((error: unknown) => logger.error('auto top-up run failed', { error: String((error as Error)?.message ?? error) }))
          .finally(() => {
            running = false;
          });
      }, options.intervalMs ?? 2_000);
      timer.unref?.();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await current;
    },
  };
}
