import { describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../src/ledger/index.js';
import { runLedgerAdapterSuite } from '../src/testing/ledger-suite.js';

runLedgerAdapterSuite('memory', async ({ now }) => ({ ledger: createMemoryLedger({ now }), cleanup: async () => {} }));

describe('memory ledger balance timestamps', () => {
  it("a balance's updatedAt follows each change across repeated reads; each grant keeps its own createdAt and expiresAt", async () => {
    let now = new Date('2026-03-01T10:00:00.000Z');
    const ledger = createMemoryLedger({ now: () => now });
    await ledger.grant({ accountId: 'ts', amount: 10, source: 'promo', idempotencyKey: 'g1', requestHash: 'g1' });
    expect((await ledger.getBalance('ts'))!.updatedAt).toBe('2026-03-01T10:00:00.000Z');
    now = new Date('2026-03-01T11:00:00.000Z');
    await ledger.grant({ accountId: 'ts', amount: 5, source: 'promo', expiresAt: '2026-04-01T00:00:00.000Z', idempotencyKey: 'g2', requestHash: 'g2' });
    const first = (await ledger.getBalance('ts'))!;
    expect(first.updatedAt).toBe('2026-03-01T11:00:00.000Z');
    now = new Date('2026-03-01T12:00:00.000Z');
    expect((await ledger.getBalance('ts'))!).toEqual(first); // a read changes nothing, its time included
    await ledger.consume({ accountId: 'ts', amount: 1, feature: 'call', idempotencyKey: 'c1', requestHash: 'c1' });
    const after = (await ledger.getBalance('ts'))!;
    expect(after.updatedAt).toBe('2026-03-01T12:00:00.000Z');
    expect(after.grants.map((g) => [g.createdAt, g.expiresAt])).toEqual([
      ['2026-03-01T11:00:00.000Z', '2026-04-01T00:00:00.000Z'],
      ['2026-03-01T10:00:00.000Z', null],
    ]);
  });
});
