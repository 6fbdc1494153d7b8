import { describe, expect, it } from 'vitest';
import { addMonthsClamped, periodAt, periodContaining, proratedUpgrade } from './periods.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('plan periods', () => {
  it('a monthly plan anchored on the 31st renews on the last day of shorter months and back on the 31st', () => {
    const anchor = at('2027-01-31T09:30:00.000Z');
    const starts = [0, 1, 2, 3, 4].map((n) => iso(periodAt(anchor, 'month', n).start));
    expect(starts).toEqual(['2027-01-31T09:30:00.000Z', '2027-02-28T09:30:00.000Z', '2027-03-31T09:30:00.000Z', '2027-04-30T09:30:00.000Z', '2027-05-31T09:30:00.000Z']);
  });

  it('in a leap year the January 31 anchor renews on February 29', () => {
    expect(iso(periodAt(at('2028-01-31T00:00:00Z'), 'month', 1).start)).toBe('2028-02-29T00:00:00.000Z');
  });

  it('a yearly plan anchored on February 29 renews on February 28, and on February 29 again in the next leap year', () => {
    const anchor = at('2028-02-29T12:00:00Z');
    expect([1, 2, 3, 4].map((n) => iso(periodAt(anchor, 'year', n).start))).toEqual([
      '2029-02-28T12:00:00.000Z', '2030-02-28T12:00:00.000Z', '2031-02-28T12:00:00.000Z', '2032-02-29T12:00:00.000Z',
    ]);
  });

  it('a period across a daylight saving change keeps whole days: no renewal moves by an hour', () => {
    // US clocks sprang forward on 2027-03-14 and European ones on 2027-03-28; periods count in UTC.
    const p = periodAt(at('2027-03-01T05:00:00Z'), 'month', 0);
    expect(p.end.getTime() - p.start.getTime()).toBe(31 * 86_400_000);
    expect(iso(p.end)).toBe('2027-04-01T05:00:00.000Z');
    const autumn = periodAt(at('2027-10-15T23:30:00Z'), 'month', 0);
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(31 * 86_400_000);
  });

  it('periodContaining finds the period around any instant, with the boundary belonging to the next period', () => {
    const anchor = at('2027-01-31T00:00:00Z');
    expect(periodContaining(anchor, 'month', at('2027-02-27T23:59:59.999Z'))).toMatchObject({ index: 0 });
    expect(periodContaining(anchor, 'month', at('2027-02-28T00:00:00.000Z'))).toMatchObject({ index: 1, start: at('2027-02-28T00:00:00Z'), end: at('2027-03-31T00:00:00Z') });
    expect(periodContaining(anchor, 'month', at('2027-03-30T12:00:00Z'))).toMatchObject({ index: 1 });
    expect(periodContaining(anchor, 'month', at('2029-12-31T00:00:00Z'))).toMatchObject({ index: 35, start: at('2029-12-31T00:00:00Z') });
    expect(periodContaining(anchor, 'month', at('2026-01-01T00:00:00Z'))).toMatchObject({ index: 0 });
    for (let day = 0; day < 800; day += 7) {
      const t = new Date(anchor.getTime() + day * 86_400_000 + 3_600_000);
      const p = periodContaining(anchor, 'month', t);
      expect(p.start.getTime()).toBeLessThanOrEqual(t.getTime());
      expect(p.end.getTime()).toBeGreaterThan(t.getTime());
    }
  });

  it('addMonthsClamped goes backwards too', () => {
    expect(iso(addMonthsClamped(at('2027-03-31T00:00:00Z'), -1))).toBe('2027-02-28T00:00:00.000Z');
  });

  it('an upgrade grants the credit difference prorated by the time left, rounded down', () => {
    const period = { start: at('2027-04-01T00:00:00Z'), end: at('2027-05-01T00:00:00Z') };
    // 7,000 more credits with 20 of 30 days left: 4,666.67 rounds down to 4,666.
    expect(proratedUpgrade(3000, 10000, period, at('2027-04-11T00:00:00Z'))).toBe(4666);
    expect(proratedUpgrade(3000, 10000, period, period.start)).toBe(7000);
    expect(proratedUpgrade(3000, 10000, period, period.end)).toBe(0);
    expect(proratedUpgrade(10000, 3000, period, period.start)).toBe(0);
    expect(proratedUpgrade(3000, 3001, period, at('2027-04-30T23:59:59Z'))).toBe(0);
  });
});
