/**
 * Plan periods. A plan's periods are counted from its anchor (the instant it started) in UTC
 * calendar months: period `n` starts at the anchor plus `n` months (12 `n` for yearly plans),
 * keeping the anchor's day of month and time of day. A day the month lacks is clamped to its last
 * day, and the next period goes back to the anchor's day: an anchor on January 31 renews on
 * February 28 (29 in a leap year), then March 31. Counting from the anchor, never from the last
 * renewal, keeps one short month from pulling every later renewal earlier.
 *
 * UTC makes the periods independent of daylight saving: a local clock change never moves a
 * renewal by an hour, and every period is a whole number of days long.
 * @module
 */
import type { PlanInterval } from '../plans.js';

/** One period of a plan: `[start, end)`. */
export interface PlanPeriod {
  /** Its number, counted from 0 at the anchor. */
  index: number;
  /** First instant of the period (inclusive). */
  start: Date;
  /** First instant of the next period (exclusive): the renewal. */
  end: Date;
}

const monthsPer = (interval: PlanInterval) => (interval === 'year' ? 12 : 1);

/** `anchor` plus `months` UTC calendar months, the day of month clamped to the target month. */
export function addMonthsClamped(anchor: Date, months: number): Date {
  const total = anchor.getUTCMonth() + months;
  const year = anchor.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(anchor.getUTCDate(), lastDay), anchor.getUTCHours(), anchor.getUTCMinutes(), anchor.getUTCSeconds(), anchor.getUTCMilliseconds()));
}

/** Period `index` of a plan anchored at `anchor`. */
export function periodAt(anchor: Date, interval: PlanInterval, index: number): PlanPeriod {
  const step = monthsPer(interval);
  return { index, start: addMonthsClamped(anchor, index * step), end: addMonthsClamped(anchor, (index + 1) * step) };
}

/** The period that contains `at` (period 0 for any instant before the anchor). */
export function periodContaining(anchor: Date, interval: PlanInterval, at: Date): PlanPeriod {
  const step = monthsPer(interval);
  const months = (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (at.getUTCMonth() - anchor.getUTCMonth());
  let index = Math.max(0, Math.floor(months / step));
  // The estimate is off by at most one period either way (day and time of month).
  while (index > 0 && periodAt(anchor, interval, index).start > at) index--;
  while (periodAt(anchor, interval, index).end <= at) index++;
  return periodAt(anchor, interval, index);
}

/**
 * The key of a period's plan grant: the account receives at most one grant per key, whatever
 * the number of instances, retries or late webhooks. It is the period's start, so a renewal by
 * the scheduler and a paid invoice for the same period share it.
 */
export function periodKey(start: Date): string {
  return start.toISOString();
}

/**
 * Credits an upgrade grants at once: the difference of the included credits, prorated by the
 * time left in the period and rounded down (a partial credit is never granted).
 * `floor((newCredits - oldCredits) * (end - at) / (end - start))`; 0 for a downgrade.
 */
export function proratedUpgrade(oldCredits: number, newCredits: number, period: Pick<PlanPeriod, 'start' | 'end'>, at: Date): number {
  const length = period.end.getTime() - period.start.getTime();
  const left = Math.min(Math.max(period.end.getTime() - at.getTime(), 0), length);
  if (newCredits <= oldCredits || length <= 0) return 0;
  // BigInt keeps the product exact for any credit count and period length.
  return Number((BigInt(newCredits - oldCredits) * BigInt(left)) / BigInt(length));
}
