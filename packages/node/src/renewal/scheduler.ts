/**
 * The renewal scheduler: grants the plan periods that are due, and writes expiry warnings, on
 * start and then on a timer. Run it in every instance: the database decides who grants (the
 * period key makes each period's grant exactly-once, and each warning is recorded once), so
 * several schedulers never grant twice, and a restart in the middle never grants twice or
 * never. Periods missed while no instance ran are granted late, in order, up to
 * `MAX_MISSED_PERIODS` (12) before the current one (see `renewPlan`).
 * @module
 */
import type { LedgerPlans } from '../ledger/adapter.js';
import type { Logger } from '../logger.js';
import { defaultPlans, type CreditPlan } from '../plans.js';
import { renewPlan } from './plan-changes.js';

/** Default lead times of `grant.expiring` warnings: 7 days and 1 day before the expiry. */
export const DEFAULT_EXPIRY_WARNINGS_SECONDS: readonly number[] = Object.freeze([7 * 86_400, 86_400]);

/** Options of {@link startPlanScheduler}. */
export interface PlanSchedulerOptions {
  /** The ledger (its plans slice). */
  ledger: LedgerPlans;
  /** The plan catalogue; the same as the handler's. Default `defaultPlans`. */
  plans?: readonly CreditPlan[];
  /** Time between runs. Default 60 s. */
  intervalMs?: number;
  /** Run once at start (due periods are granted as the server comes up). Default true. */
  runOnStart?: boolean;
  /** Lead times of `grant.expiring` warnings, in seconds. Default 7 days and 1 day; `[]` sends none. */
  expiryWarningsSeconds?: readonly number[];
  /** Most renewals and most warnings per batch; a run repeats batches until none is left. Default 100. */
  batchSize?: number;
  /** Clock, for tests and the emulator's advanceable clock. Default `() => new Date()`. */
  now?: () => Date;
  /** Where failures of a run are logged (the timer keeps going). Default `console`. */
  logger?: Pick<Logger, 'error'>;
}

/** What one run did. */
export interface PlanSchedulerRun {
  /**
   * Periods granted by this run, missed ones caught up included (periods another instance
   * granted first are not counted).
   */
  renewed: number;
  /** Plans that ended (cancelled at their period end). */
  ended: number;
  /** `grant.expiring` warnings written. */
  warned: number;
}

/** A running scheduler. */
export interface PlanScheduler {
  /** One run now (waits for a run in progress first, so runs never overlap in one process). */
  runOnce(): Promise<PlanSchedulerRun>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Starts renewing the plans the server renews (free plans, plans assigned by a server key) and
 * warning before grants expire. The timer does not keep the process alive.
 *
 * @example
 * const scheduler = startPlanScheduler({ ledger, plans });
 * process.on('SIGTERM', () => void scheduler.stop());
 */
export function startPlanScheduler(options: PlanSchedulerOptions): PlanScheduler {
  const intervalMs = options.intervalMs ?? 60_000;
  if (!(intervalMs > 0)) throw new RangeError('startPlanScheduler: intervalMs must be positive');
  const plans = options.plans ?? defaultPlans;
  const leads = options.expiryWarningsSeconds ?? DEFAULT_EXPIRY_WARNINGS_SECONDS;
  const batch = options.batchSize ?? 100;
  const clock = options.now ?? (() => new Date());
  const logger = options.logger ?? console;
  let current: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const run = async (): Promise<PlanSchedulerRun> => {
    const out: PlanSchedulerRun = { renewed: 0, ended: 0, warned: 0 };
    // A renewal moves the assignment past `now`, so each batch lists new ones; the guard stops a
    // loop should an adapter keep listing one it cannot renew.
    for (let round = 0; round < 1000; round++) {
      const due = await options.ledger.listDuePlanRenewals(batch);
      if (due.length === 0) break;
      let progressed = false;
      for (const assignment of due) {
        const results = await renewPlan(options.ledger, plans, assignment, clock());
        if (results.length > 0) progressed = true;
        for (const result of results) {
          if (result.assignment.status === 'ended') out.ended++;
          else if (result.grant && !result.replayed) out.renewed++;
        }
      }
      if (!progressed || due.length < batch) break;
    }
    if (leads.length > 0) {
      for (let round = 0; round < 1000; round++) {
        const written = await options.ledger.warnExpiringGrants(leads, batch);
        out.warned += written;
        if (written < batch) break;
      }
    }
    return out;
  };

  const runOnce = (): Promise<PlanSchedulerRun> => {
    const next = current.then(run);
    current = next.catch(() => undefined);
    return next;
  };
  const tick = () => {
    if (stopped) return;
    runOnce().catch((error: unknown) => logger.error('plan renewal run failed', { error: String((error as Error)?.message ?? error) }));
  };
  if (options.runOnStart ?? true) tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref?.();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
