/**
 * Retention: prunes a ledger's idempotency records and delivered outbox events on a timer, so the
 * tables behind every write stay the size of the retention window instead of growing forever.
 * Entries, grants and balances are never pruned.
 * @module
 */
import type { LedgerRetention } from './adapter.js';
import { MIN_IDEMPOTENCY_RETENTION_MS } from './domain.js';
import type { PruneResult } from './types.js';

/** Options of {@link startRetention}. */
export interface RetentionOptions {
  /** The ledger to prune (its retention slice). */
  ledger: LedgerRetention;
  /**
   * How long idempotency records (the replay window of `Idempotency-Key`) and delivered outbox
   * events are kept. Default 7 days; never less than 24 hours (shorter values are raised to it).
   */
  retentionMs?: number;
  /** Time between runs. Default 1 hour; the first run is one interval after start. */
  intervalMs?: number;
  /** Clock. Default `() => new Date()`. */
  now?: () => Date;
  /** Called after each run that deleted something, and with any error (the timer keeps going). */
  onRun?: (result: PruneResult | Error) => void;
}

/** A running retention timer. */
export interface Retention {
  /** One run now: prunes what is older than the retention window. */
  runOnce(): Promise<PruneResult>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/** Default retention window: 7 days. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Starts pruning `ledger` on a timer. Safe to run in every instance on one database: each run is a
 * few bounded deletes of rows nobody needs any more. The timer does not keep the process alive.
 *
 * @example
 * const retention = startRetention({ ledger });
 * process.on('SIGTERM', () => void retention.stop());
 */
export function startRetention(options: RetentionOptions): Retention {
  const retentionMs = Math.max(options.retentionMs ?? DEFAULT_RETENTION_MS, MIN_IDEMPOTENCY_RETENTION_MS);
  const intervalMs = options.intervalMs ?? 3_600_000;
  if (!(intervalMs > 0)) throw new RangeError('startRetention: intervalMs must be positive');
  const clock = options.now ?? (() => new Date());
  let current: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const runOnce = (): Promise<PruneResult> => {
    const run = options.ledger.prune(new Date(clock().getTime() - retentionMs));
    current = run.catch(() => undefined);
    return run;
  };
  const timer = setInterval(() => {
    if (stopped) return;
    runOnce().then(
      (result) => {
        if (result.idempotency + result.outbox > 0) options.onRun?.(result);
      },
      (error: unknown) => options.onRun?.(error instanceof Error ? error : new Error(String(error))),
    );
  }, intervalMs);
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
