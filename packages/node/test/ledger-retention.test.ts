import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLedger, startRetention, type PruneResult } from '../src/ledger/index.js';

const DAY = 24 * 3_600_000;

afterEach(() => {
  vi.useRealTimers();
});

describe('startRetention', () => {
  it('prunes records older than the retention window on every interval, and stops', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let t = Date.parse('2026-11-01T00:00:00Z');
    const now = () => new Date(t);
    const ledger = createMemoryLedger({ now });
    await ledger.grant({ accountId: 'r', amount: 10, source: 'plan', idempotencyKey: 'old', requestHash: 'h' });
    const runs: Array<PruneResult | Error> = [];
    const retention = startRetention({ ledger, retentionMs: 2 * DAY, intervalMs: 60_000, now, onRun: (r) => runs.push(r) });

    t += DAY; // one day old: inside the window
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toEqual([]);

    t += 2 * DAY; // three days old: pruned, and the key may be used again
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toEqual([{ idempotency: 1, outbox: 0 }]);
    const again = await ledger.grant({ accountId: 'r', amount: 10, source: 'plan', idempotencyKey: 'old', requestHash: 'h' });
    expect(again.replayed).toBe(false);

    await retention.stop();
    t += 10 * DAY;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs).toHaveLength(1);
  });

  it('never keeps idempotency records for less than 24 hours, whatever it is asked', async () => {
    let t = Date.parse('2026-11-01T00:00:00Z');
    const now = () => new Date(t);
    const ledger = createMemoryLedger({ now });
    await ledger.grant({ accountId: 'r', amount: 1, source: 'plan', idempotencyKey: 'g', requestHash: 'h' });
    const retention = startRetention({ ledger, retentionMs: 1, now });
    t += 23 * 3_600_000;
    expect((await retention.runOnce()).idempotency).toBe(0);
    t += 2 * 3_600_000;
    expect((await retention.runOnce()).idempotency).toBe(1);
    await retention.stop();
  });

  it('reports a failed run and keeps going', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const ledger = createMemoryLedger();
    let fail = true;
    const prune = ledger.prune.bind(ledger);
    ledger.prune = (before) => (fail ? Promise.reject(new Error('database is down')) : prune(before));
    const runs: Array<PruneResult | Error> = [];
    const retention = startRetention({ ledger, intervalMs: 1000, onRun: (r) => runs.push(r) });
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(1);
    expect((runs[0] as Error).message).toBe('database is down');
    fail = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(1); // succeeded, nothing to delete
    await retention.stop();
  });
});
