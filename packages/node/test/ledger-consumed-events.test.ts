/**
 * `consumedEvents: false` on every adapter: consumes and hold captures stop writing
 * `credits.consumed`, and every other event is still written.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { LedgerAdapter } from '../src/ledger/adapter.js';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { createPgliteLedger } from '../src/ledger/pglite.js';
import { createPostgresLedger } from '../src/ledger/postgres.js';

const url = process.env.TEST_DATABASE_URL;
const schemas: string[] = [];
const closers: Array<() => Promise<void>> = [];

type Make = (consumedEvents: boolean | undefined) => Promise<LedgerAdapter>;
const adapters: Array<[string, Make | null]> = [
  ['memory', async (consumedEvents) => createMemoryLedger({ consumedEvents })],
  ['pglite', async (consumedEvents) => {
    const db = new PGlite();
    closers.push(() => db.close());
    return createPgliteLedger({ db, consumedEvents });
  }],
  ['postgres', url ? async (consumedEvents) => {
    const schema = `ledger_consumed_${randomBytes(5).toString('hex')}`;
    schemas.push(schema);
    return createPostgresLedger({ connectionString: url, schema, max: 2, consumedEvents });
  } : null],
];

afterAll(async () => {
  for (const close of closers) await close();
  if (url && schemas.length) {
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
});

/** Spends 10 credits by a consume and a hold capture, down to 0, and returns the event types written. */
async function eventTypes(ledger: LedgerAdapter): Promise<string[]> {
  await ledger.migrate();
  const w = (k: string) => ({ idempotencyKey: k, requestHash: k });
  await ledger.grant({ accountId: 'a', amount: 10, source: 'promo', ...w('g') });
  await ledger.consume({ accountId: 'a', amount: 6, feature: 'conversation', ...w('c') });
  const hold = await ledger.createHold({ accountId: 'a', amount: 4, feature: 'call', ttlSeconds: 60, ...w('h') });
  await ledger.captureHold({ accountId: 'a', holdId: hold.id, amount: 4, ...w('cap') });
  const types: string[] = [];
  for (let batch = await ledger.claimOutboxEvents(50, 60_000); batch.length; batch = await ledger.claimOutboxEvents(50, 60_000)) {
    for (const event of batch) {
      types.push(event.type);
      await ledger.markOutboxDelivered(event.id);
    }
  }
  await ledger.close();
  return types.sort();
}

for (const [name, make] of adapters) {
  describe.skipIf(!make)(`consumedEvents on ${name}`, () => {
    it('writes credits.consumed for consumes and captures by default', async () => {
      expect(await eventTypes(await make!(undefined))).toEqual(['balance.depleted', 'balance.low', 'credits.consumed', 'credits.consumed']);
    });

    it('writes no credits.consumed when turned off, and still writes the other events', async () => {
      expect(await eventTypes(await make!(false))).toEqual(['balance.depleted', 'balance.low']);
    });
  });
}
