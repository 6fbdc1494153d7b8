/**
 * Usage summary with forecast, and alert settings.
 * @module
 */
import { withIdempotency, accountOf, type Operation } from '../context.js';
import { balanceOrZero } from './balance.js';

const DAY_MS = 86_400_000;

/** The forecast of the spec's `UsageForecast` from a usage total over `days` days. */
export function forecast(total: number, days: number, available: number, now: Date) {
  const dailyAverage = days > 0 ? total / days : 0;
  const daysLeft = dailyAverage > 0 ? Math.round((available / dailyAverage) * 10) / 10 : null;
  const depletionDate =
    daysLeft === null ? null : new Date(startOfUtcDay(now) + Math.floor(available / dailyAverage) * DAY_MS).toISOString().slice(0, 10);
  return {
    dailyAverage: Math.round(dailyAverage * 100) / 100,
    projected30Days: Math.round(dailyAverage * 30),
    available,
    daysLeft,
    depletionDate,
  };
}

function startOfUtcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

/** `getUsageSummary`: Usage of the last `days` UTC days, today included, with a forecast at that pace. */
export const getUsageSummary: Operation<'getUsageSummary'> = async (ctx, input) => {
  const accountId = accountOf(input);
  const days = input.params.query.days ?? 30;
  const now = ctx.now();
  // The range ends at the end of today (UTC) and covers `days` whole days, today included.
  const to = startOfUtcDay(now) + DAY_MS;
  const from = to - days * DAY_MS;
  const [usage, balance] = await Promise.all([
    ctx.ledger.getUsage({ accountId, from: new Date(from).toISOString(), to: new Date(to).toISOString() }),
    balanceOrZero(ctx.ledger, accountId),
  ]);
  const byFeature = [...usage.byFeature].sort((a, b) => b.total - a.total);
  return {
    status: 200,
    body: {
      accountId,
      from: usage.from,
      to: usage.to,
      days,
      total: usage.total,
      byDay: usage.byDay,
      byFeature,
      forecast: forecast(usage.total, days, balance.available, now),
    },
  };
};

/** `getAlertSettings`: The low-balance alert settings. */
export const getAlertSettings: Operation<'getAlertSettings'> = async (ctx, input) => ({
  status: 200,
  body: await ctx.ledger.getAlertSettings(accountOf(input)),
});

/** `updateAlertSettings`: Stores alert settings (idempotent on the key, via the ledger's idempotency records). */
export const updateAlertSettings: Operation<'updateAlertSettings'> = async (ctx, input) =>
  withIdempotency(ctx, input, async () => ({
    status: 200,
    body: await ctx.ledger.updateAlertSettings(accountOf(input), input.body),
  }));
