import { daysInRange } from './domain.js';
import type { UsageSummaryData } from './types.js';

/**
 * Builds a {@link UsageSummaryData} from daily rollup rows `{ day, feature, total }`. Every UTC
 * day in `[from, to)` appears, with 0 when nothing was consumed; features are sorted by total,
 * largest first, then by name.
 */
export function summariseUsage(fromIso: string, toIso: string, fromMs: number, toMs: number, rows: ReadonlyArray<{ day: string; feature: string; total: number }>): UsageSummaryData {
  const byDay = daysInRange(fromMs, toMs).map((date) => ({ date, total: 0, byFeature: {} as Record<string, number> }));
  const index = new Map(byDay.map((d) => [d.date, d]));
  const features = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    const d = index.get(r.day);
    if (!d) continue;
    d.total += r.total;
    d.byFeature[r.feature] = (d.byFeature[r.feature] ?? 0) + r.total;
    features.set(r.feature, (features.get(r.feature) ?? 0) + r.total);
    total += r.total;
  }
  const byFeature = [...features].map(([feature, t]) => ({ feature, total: t })).sort((a, b) => b.total - a.total || a.feature.localeCompare(b.feature));
  return { from: fromIso, to: toIso, total, byDay, byFeature };
}
