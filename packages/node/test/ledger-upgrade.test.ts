import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isLedgerError, type LedgerAdapter } from '../src/ledger/index.js';
import { createPgliteLedger, pgliteExecutor } from '../src/ledger/pglite.js';
import { createPostgresLedger, pgExecutor } from '../src/ledger/postgres.js';
import type { SqlExecutor } from '../src/ledger/sql/executor.js';
import { MIGRATIONS } from '../src/ledger/sql/migrations.js';
import { allEntries, expectLedgerInvariants } from '../src/testing/ledger-suite.js';
import { applyMigrations as applyLegacyMigrations } from './fixtures/legacy-migrations/migrations.js';

type Json = Record<string, any>;
const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const HOUR = 3_600_000;

/**
 * A database as the released code left it: built with the migrations of the previous release
 * (the legacy fixture) and filled through its plpgsql functions, the way its adapter called them.
 */
async function buildLegacyDatabase(db: SqlExecutor, schema: string) {
  await applyLegacyMigrations(db, schema);
  const s = `"${schema}"`;
  const call = async (fn: string, p: Json, at = T0): Promise<Json> => {
    const { rows } = await db.query<{ r: Json }>(`SELECT ${s}.${fn}($1::jsonb) AS r`, [JSON.stringify({ ...p, now: new Date(at).toISOString(), notify: null })]);
    return rows[0]!.r;
  };
  const purchase = (cs: string) => ({ checkoutSessionId: cs, paymentIntentId: `pi_${cs}`, packageId: 'credits_2000', amountTotal: 1000, currency: 'usd' });
  // Grants of every source.
  await call('aivah_grant', { accountId: 'alice', amount: 500, source: 'plan', priority: 50, expiresAt: new Date(T0 + 30 * 24 * HOUR).toISOString(), idempotencyKey: 'g-plan', requestHash: 'h' });
  await call('aivah_grant', { accountId: 'alice', amount: 2000, source: 'purchase', priority: 50, purchase: purchase('cs_alice'), idempotencyKey: 'purchase:cs_alice', requestHash: 'p' });
  await call('aivah_grant', { accountId: 'alice', amount: 100, source: 'promo', priority: 10, description: 'welcome', metadata: { campaign: 'spring' }, idempotencyKey: 'g-promo', requestHash: 'h' });
  await call('aivah_grant', { accountId: 'alice', amount: 40, source: 'adjustment', priority: 50, idempotencyKey: 'g-adjust', requestHash: 'h' });
  // Consumes, one refused for lack of credits (its error is the stored outcome).
  await call('aivah_consume', { accountId: 'alice', amount: 120, feature: 'conversation', metadata: {}, idempotencyKey: 'c-1', requestHash: 'c120' });
  await call('aivah_consume', { accountId: 'alice', amount: 30, feature: 'media_generation', metadata: { model: 'x' }, idempotencyKey: 'c-2', requestHash: 'c30' });
  await call('aivah_consume', { accountId: 'alice', amount: 999_999, feature: 'conversation', metadata: {}, idempotencyKey: 'c-too-much', requestHash: 'big' });
  // One hold left open, one captured.
  const open = await call('aivah_create_hold', { accountId: 'alice', amount: 600, feature: 'call', ttlSeconds: 3600, metadata: {}, idempotencyKey: 'h-open', requestHash: 'h' });
  const done = await call('aivah_create_hold', { accountId: 'alice', amount: 50, feature: 'call', ttlSeconds: 3600, metadata: {}, idempotencyKey: 'h-done', requestHash: 'h' });
  await call('aivah_settle_hold', { accountId: 'alice', holdId: done.hold.id, amount: 20, action: 'capture', idempotencyKey: 'h-done-capture', requestHash: 'c' });
  // A refund of spent credits: the deficit.
  await call('aivah_grant', { accountId: 'bob', amount: 100, source: 'purchase', priority: 50, purchase: purchase('cs_bob'), idempotencyKey: 'purchase:cs_bob', requestHash: 'p' });
  await call('aivah_consume', { accountId: 'bob', amount: 70, feature: 'conversation', metadata: {}, idempotencyKey: 'b-1', requestHash: 'b' });
  await call('aivah_reverse', { accountId: 'bob', checkoutSessionId: 'cs_bob', reason: 'dispute', idempotencyKey: 'refund:cs_bob', requestHash: 'r' });
  // A plan grant that expires after the upgrade, partly spent.
  await call('aivah_grant', { accountId: 'carol', amount: 80, source: 'plan', priority: 50, expiresAt: new Date(T0 + 48 * HOUR).toISOString(), idempotencyKey: 'g-carol', requestHash: 'h' });
  await call('aivah_consume', { accountId: 'carol', amount: 30, feature: 'call', metadata: {}, idempotencyKey: 'c-carol', requestHash: 'c' });
  // Idempotency records of a non-ledger operation: one completed, one still claimed.
  await db.query(`INSERT INTO ${s}.idempotency (account_id, key, request_hash, state, response, created_at) VALUES ('alice', 'checkout-1', 'x', 'done', '{"status":201,"body":{"url":"https://checkout"}}', $1)`, [new Date(T0).toISOString()]);
  await db.query(`INSERT INTO ${s}.idempotency (account_id, key, request_hash, state, created_at) VALUES ('alice', 'checkout-2', 'y', 'pending', $1)`, [new Date(T0).toISOString()]);
  return { openHoldId: open.hold.id as string, capturedHoldId: done.hold.id as string };
}

/** The raw rows an upgrade must keep, read with plain SQL. */
async function snapshot(db: SqlExecutor, schema: string) {
  const s = `"${schema}"`;
  const rows = async (sql: string) => (await db.query<Json>(sql)).rows;
  return {
    accounts: await rows(`SELECT id, available::text, held::text, deficit::text, version::text, next_expiry_at, alert_low FROM ${s}.accounts ORDER BY id`),
    grants: await rows(`SELECT id, account_id, seq::text, source, amount::text, remaining::text, held::text, reversed::text, expires_at, priority, checkout_session_id FROM ${s}.grants ORDER BY account_id, seq`),
    entries: await rows(`SELECT * FROM ${s}.entries ORDER BY account_id, seq`),
    holds: await rows(`SELECT id, account_id, amount::text, captured::text, status, expires_at FROM ${s}.holds ORDER BY id`),
    idempotency: await rows(`SELECT account_id, key, request_hash, state, response FROM ${s}.idempotency ORDER BY account_id, key`),
    outbox: await rows(`SELECT id, type, account_id, data, created_at FROM ${s}.outbox WHERE delivered_at IS NULL ORDER BY seq`),
    usage: await rows(`SELECT account_id, day, feature, total::text FROM ${s}.usage_daily ORDER BY 1, 2, 3`),
  };
}

interface Subject {
  name: string;
  setup: () => Promise<{ db: SqlExecutor; schema: string; adapter: (now: () => Date) => LedgerAdapter; close: () => Promise<void> }>;
}

const subjects: Subject[] = [
  {
    name: 'pglite',
    setup: async () => {
      const lite = new PGlite();
      return { db: pgliteExecutor(lite), schema: 'upgraded', adapter: (now) => createPgliteLedger({ db: lite, schema: 'upgraded', now }), close: () => lite.close() };
    },
  },
];
const url = process.env.TEST_DATABASE_URL;
if (url) {
  subjects.push({
    name: 'postgres',
    setup: async () => {
      const schema = `ledger_upgrade_${randomBytes(6).toString('hex')}`;
      const pool = new pg.Pool({ connectionString: url, max: 4 });
      return {
        db: pgExecutor(pool, { prepare: false }),
        schema,
        adapter: (now) => createPostgresLedger({ pool, schema, now }),
        close: async () => {
          await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await pool.end();
        },
      };
    },
  });
} else {
  console.warn('Postgres upgrade test skipped: TEST_DATABASE_URL is not set');
}

for (const subject of subjects) {
  describe(`upgrading a database of the previous release: ${subject.name}`, () => {
    let env: Awaited<ReturnType<Subject['setup']>>;
    let ledger: LedgerAdapter;
    let holds: Awaited<ReturnType<typeof buildLegacyDatabase>>;
    let before: Awaited<ReturnType<typeof snapshot>>;
    let t = T0 + 60_000;

    beforeAll(async () => {
      env = await subject.setup();
      holds = await buildLegacyDatabase(env.db, env.schema);
      before = await snapshot(env.db, env.schema);
      ledger = env.adapter(() => new Date(t));
      await ledger.migrate();
    });
    afterAll(async () => {
      await ledger?.close();
      await env?.close();
    });

    it('keeps every account, grant, entry, hold, idempotency record, usage row and pending event', async () => {
      const after = await snapshot(env.db, env.schema);
      expect(after).toEqual(before);
      expect(before.entries.length).toBeGreaterThan(10);
      expect(before.outbox.map((e) => e.type)).toEqual(expect.arrayContaining(['credits.purchased', 'credits.consumed']));
    });

    it('records every migration with its checksum, and migrating again changes nothing', async () => {
      const s = `"${env.schema}"`;
      const recorded = (await env.db.query<{ version: number; checksum: string }>(`SELECT version, checksum FROM ${s}.schema_migrations ORDER BY version`)).rows;
      expect(recorded).toEqual(MIGRATIONS.map((m) => ({ version: m.version, checksum: m.checksum })));
      await ledger.migrate();
      expect(await snapshot(env.db, env.schema)).toEqual(before);
    });

    it('lists the purchases made before the upgrade, from their outbox events, with a dispute as their status', async () => {
      expect((await ledger.listPurchases({ accountId: 'alice' })).data).toEqual([
        expect.objectContaining({
          status: 'paid', packageId: 'credits_2000', credits: 2000, creditsReversed: 0, amountTotal: 1000, currency: 'usd',
          checkoutSessionId: 'cs_alice', paymentIntentId: 'pi_cs_alice', invoiceId: null, receiptUrl: null,
        }),
      ]);
      expect(await ledger.findPurchase({ accountId: 'bob', checkoutSessionId: 'cs_bob' })).toMatchObject({ status: 'disputed', credits: 100, creditsReversed: 100 });
      expect((await ledger.listPurchases({ accountId: 'carol' })).data).toEqual([]);
    });

    it('reads the same balances and entries through the new code, with the invariants intact', async () => {
      for (const account of ['alice', 'bob', 'carol']) {
        const balance = (await ledger.getBalance(account))!;
        const row = before.accounts.find((a) => a.id === account)!;
        expect(balance).toMatchObject({ available: Number(row.available), held: Number(row.held), deficit: Number(row.deficit), version: Number(row.version) });
        const entries = await allEntries(ledger, account);
        expect(entries.map((e) => [e.seq, e.type, e.amount, e.balanceAfter, e.id])).toEqual(
          before.entries.filter((e) => e.account_id === account).map((e) => [Number(e.seq), e.type, Number(e.amount), Number(e.balance_after), e.id]),
        );
        await expectLedgerInvariants(ledger, account);
      }
      expect((await ledger.getBalance('bob'))!.deficit).toBe(70);
    });

    it('still answers the previous release\'s balance read (aivah_touch), so its instances keep working during a rolling upgrade', async () => {
      const s = `"${env.schema}"`;
      for (const account of ['alice', 'bob', 'nobody']) {
        const { rows } = await env.db.query<{ r: Record<string, unknown> | null }>(`SELECT ${s}.aivah_touch($1, $2, NULL) AS r`, [account, new Date(t).toISOString()]);
        const balance = await ledger.getBalance(account);
        if (!balance) {
          expect(rows[0]!.r).toBeNull();
          continue;
        }
        expect(rows[0]!.r).toMatchObject({ accountId: account, available: balance.available, held: balance.held, deficit: balance.deficit, version: balance.version });
      }
    });

    it('replays the writes made before the upgrade instead of applying them again', async () => {
      const old = before.entries.filter((e) => e.account_id === 'alice');
      const replay = await ledger.consume({ accountId: 'alice', amount: 120, feature: 'conversation', idempotencyKey: 'c-1', requestHash: 'c120' });
      expect(replay).toMatchObject({ replayed: true, entry: { id: old.find((e) => e.type === 'consume')!.id, amount: -120 } });
      const refused = await ledger.consume({ accountId: 'alice', amount: 999_999, feature: 'conversation', idempotencyKey: 'c-too-much', requestHash: 'big' }).catch((e: unknown) => e);
      expect(isLedgerError(refused, 'INSUFFICIENT_CREDITS') && refused.details).toMatchObject({ required: 999_999, replayed: true });
      expect(await ledger.grant({ accountId: 'alice', amount: 2000, source: 'purchase', purchase: { checkoutSessionId: 'cs_alice', packageId: 'credits_2000', amountTotal: 1000, currency: 'usd' }, idempotencyKey: 'purchase:cs_alice', requestHash: 'p' })).toMatchObject({ replayed: true });
      expect(await ledger.createHold({ accountId: 'alice', amount: 600, feature: 'call', ttlSeconds: 3600, idempotencyKey: 'h-open', requestHash: 'h' })).toMatchObject({ id: holds.openHoldId, replayed: true });
      expect(await ledger.reversePurchase({ accountId: 'bob', checkoutSessionId: 'cs_bob', reason: 'dispute', idempotencyKey: 'refund:cs_bob', requestHash: 'r' })).toMatchObject({ replayed: true, reversed: 30, deficitAdded: 70 });
      expect(await ledger.beginIdempotency('alice', 'checkout-1', 'x')).toEqual({ state: 'replay', response: { status: 201, body: { url: 'https://checkout' } } });
      await expect(ledger.beginIdempotency('alice', 'checkout-2', 'y')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
      expect(await snapshot(env.db, env.schema)).toMatchObject({ entries: before.entries, accounts: before.accounts });
    });

    it('captures the hold left open before the upgrade from the grants it reserved', async () => {
      expect(await ledger.getHold('alice', holds.capturedHoldId)).toMatchObject({ status: 'captured', captured: 20 });
      const open = await ledger.getHold('alice', holds.openHoldId);
      expect(open).toMatchObject({ status: 'active', amount: 600 });
      const balance = (await ledger.getBalance('alice'))!;
      const captured = await ledger.captureHold({ accountId: 'alice', holdId: holds.openHoldId, amount: 450, idempotencyKey: 'after-capture', requestHash: 'c' });
      expect(captured).toMatchObject({ status: 'captured', captured: 450 });
      const after = (await ledger.getBalance('alice'))!;
      expect(after).toMatchObject({ available: balance.available + 150, held: balance.held - 600 });
      const remaining = after.grants.reduce((sum, g) => sum + g.remaining, 0);
      expect(remaining).toBe(after.available + after.held);
      await expectLedgerInvariants(ledger, 'alice');
    });

    it('repays the deficit left by a refund before the upgrade from the next grant', async () => {
      const g = await ledger.grant({ accountId: 'bob', amount: 100, source: 'promo', idempotencyKey: 'after-grant', requestHash: 'h' });
      expect(g.balance).toMatchObject({ available: 30, deficit: 0 });
      await expectLedgerInvariants(ledger, 'bob');
    });

    it('delivers the events left pending before the upgrade, unchanged', async () => {
      const claimed = await ledger.claimOutboxEvents(1000, 60_000);
      const pending = new Map(claimed.map((e) => [e.id, e]));
      for (const e of before.outbox) expect(pending.get(e.id)).toMatchObject({ type: e.type, accountId: e.account_id, data: e.data });
    });

    it('expires a grant made before the upgrade at its instant, with its entry and event', async () => {
      expect(await ledger.getBalance('carol')).toMatchObject({ available: 50 });
      t = T0 + 48 * HOUR;
      expect(await ledger.getBalance('carol')).toMatchObject({ available: 0, grants: [] });
      expect((await allEntries(ledger, 'carol')).filter((e) => e.type === 'grant_expired').map((e) => e.amount)).toEqual([-50]);
      expect((await ledger.claimOutboxEvents(100, 60_000)).filter((e) => e.type === 'grant.expired').map((e) => [e.accountId, e.data.amount])).toEqual([['carol', 50]]);
      await expectLedgerInvariants(ledger, 'carol');
    });

    it.runIf(subject.name === 'postgres')('keeps notifying for the previous release\'s instances, which listen without a lease, during a rolling upgrade', async () => {
      const s = `"${env.schema}"`;
      const leases = (await env.db.query<{ instance_id: string }>(`SELECT instance_id FROM ${s}.balance_listeners WHERE expires_at > now()`)).rows;
      expect(leases.map((l) => l.instance_id)).toEqual(['previous-release']);
      const raw = new pg.Client({ connectionString: url });
      await raw.connect();
      const payloads: Array<Record<string, unknown>> = [];
      raw.on('notification', (n) => payloads.push(JSON.parse(n.payload ?? '{}')));
      try {
        await raw.query('LISTEN aivah_credits_balance');
        // A write from an instance still on the previous release, which names itself `notify`.
        await env.db.query(`SELECT ${s}.aivah_consume($1::jsonb)`, [JSON.stringify({
          accountId: 'alice', amount: 1, feature: 'call', metadata: {}, idempotencyKey: 'old-instance-write', requestHash: 'o',
          now: new Date(t).toISOString(), notify: 'old-instance',
        })]);
        await vi.waitFor(() => expect(payloads).toContainEqual(expect.objectContaining({ s: env.schema, a: 'alice', i: 'old-instance' })));
      } finally {
        await raw.end();
      }
    });
  });
}

describe('migrate() refuses a schema it cannot vouch for', () => {
  it('refuses a released migration recorded with another checksum, and a version it does not know', async () => {
    const lite = new PGlite();
    const ledger = createPgliteLedger({ db: lite, schema: 'tampered' });
    try {
      await ledger.migrate();
      await lite.query(`UPDATE tampered.schema_migrations SET checksum = 'edited' WHERE version = 3`);
      await expect(ledger.migrate()).rejects.toThrow(/003_flattened_consume_hot_path\.sql .* different SQL/);
      await lite.query(`UPDATE tampered.schema_migrations SET checksum = $1 WHERE version = 3`, [MIGRATIONS[2]!.checksum]);
      await ledger.migrate();
      await lite.query(`INSERT INTO tampered.schema_migrations (version, name, checksum) VALUES (999, 'from the future', 'x')`);
      await expect(ledger.migrate()).rejects.toThrow(/migration 999/);
    } finally {
      await ledger.close();
      await lite.close();
    }
  });
});
