/**
 * The money slices of the SQL ledger (purchase records, payment customers, auto top-up, plans):
 * the same one-call-per-write shape as `sql-ledger.ts`, over the state it shares with them.
 * @internal
 * @module
 */
import type { AutoTopUps, LedgerPlans, PaymentCustomers, PurchaseRecords } from '../adapter-money.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { defaultAutoTopUp } from '../domain.js';
import { LedgerError, ledgerError } from '../errors.js';
import type { Balance } from '../types.js';
import * as v from '../validate.js';
import type { SqlExecutor } from './executor.js';
import { isUuid, toAutoTopUpSettings, toBalance, toEntry, toPlanAssignment, toPurchase, toTopUp, unwrap } from './mapping.js';
import type { AutoTopUpSettingsJson, GrantWriteJson, OrError, PlanAssignmentJson, PurchaseJson, TopUpJson, WriteFunctions, WriteJson } from './results.js';

/** What the money slices share with the rest of the SQL ledger. @internal */
export interface SqlLedgerCore {
  db: SqlExecutor;
  /** The ledger's schema, quoted for SQL. */
  s: string;
  clock: () => Date;
  /** One write: a call of a plpgsql function with its request as JSON. */
  call: <F extends keyof WriteFunctions>(fn: F, p: object) => Promise<WriteFunctions[F]>;
  /** Unwraps a write result and tells local listeners about a fresh (non-replayed) change. */
  written: <T extends WriteJson>(result: OrError<T>) => { j: T; balance: Balance };
  /** Tells local listeners about a balance change. */
  emit: (accountId: string, balance: Balance) => void;
}

/** The money slices over the state of one SQL ledger. @internal */
export function sqlMoneySlices({ db, s, clock, call, written, emit }: SqlLedgerCore): PurchaseRecords & PaymentCustomers & AutoTopUps & LedgerPlans {
  return {
    async listPurchases(input) {
      const limit = v.checkPurchaseLimit(input.limit);
      const before = input.cursor ? decodeCursor(input.cursor) : Number.MAX_SAFE_INTEGER;
      const { rows } = await db.query<{ r: PurchaseJson }>(
        `SELECT ${s}.purchase_json(p) AS r FROM ${s}.purchases p WHERE p.account_id = $1 AND p.seq < $2 ORDER BY p.seq DESC LIMIT $3`,
        [input.accountId, before, limit + 1]);
      const data = rows.map((r) => r.r);
      const hasMore = data.length > limit;
      if (hasMore) data.pop();
      return { data: data.map(toPurchase), hasMore, nextCursor: hasMore ? encodeCursor(Number(data[data.length - 1]!.seq)) : null };
    },

    async findPurchase(ref) {
      v.checkPurchaseRef(ref);
      const bySession = Boolean(ref.checkoutSessionId);
      const { rows } = await db.query<{ r: PurchaseJson }>(
        `SELECT ${s}.purchase_json(p) AS r FROM ${s}.purchases p WHERE p.account_id = $1 AND ${bySession ? 'p.checkout_session_id' : 'p.payment_intent_id'} = $2`,
        [ref.accountId, bySession ? ref.checkoutSessionId : ref.paymentIntentId]);
      return rows[0] ? toPurchase(rows[0].r) : null;
    },

    async recordPurchaseReceipt(input) {
      v.checkReceipt(input);
      const { rows } = await db.query<{ r: PurchaseJson | null }>(`SELECT ${s}.aivah_record_purchase_receipt($1::jsonb) AS r`, [JSON.stringify({ ...input, now: clock().toISOString() })]);
      return rows[0]?.r ? toPurchase(rows[0].r) : null;
    },

    async getPaymentCustomer(accountId) {
      const { rows } = await db.query<{ customer_id: string }>(`SELECT customer_id FROM ${s}.payment_customers WHERE account_id = $1`, [accountId]);
      return rows[0]?.customer_id ?? null;
    },
    async savePaymentCustomer(accountId, customerId) {
      v.checkAccountId(accountId);
      if (typeof customerId !== 'string' || customerId.length === 0 || customerId.length > 255) throw new LedgerError('VALIDATION_FAILED', 'customerId must be 1-255 characters.', { field: 'customerId' });
      // The first writer wins; everyone reads the winner back (the insert of a loser is a no-op).
      await db.query(`INSERT INTO ${s}.payment_customers (account_id, customer_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (account_id) DO NOTHING`,
        [accountId, customerId, clock().toISOString()]);
      const { rows } = await db.query<{ customer_id: string }>(`SELECT customer_id FROM ${s}.payment_customers WHERE account_id = $1`, [accountId]);
      return rows[0]!.customer_id;
    },

    async getAutoTopUp(accountId) {
      const { rows } = await db.query<{ r: AutoTopUpSettingsJson | null }>(`SELECT ${s}.aivah_read_auto_top_up($1, $2) AS r`, [accountId, clock().toISOString()]);
      const r = rows[0]?.r;
      return r ? toAutoTopUpSettings(r) : defaultAutoTopUp(accountId);
    },
    async updateAutoTopUp(accountId, input) {
      v.checkAccountId(accountId);
      const settings = v.checkAutoTopUp(input);
      return toAutoTopUpSettings(unwrap(await call('aivah_update_auto_top_up', { accountId, ...settings })));
    },
    async claimTopUps(limit, leaseMs) {
      const { rows } = await db.query<{ r: TopUpJson[] }>(`SELECT ${s}.aivah_claim_top_ups($1::timestamptz, $2, $3) AS r`, [clock().toISOString(), limit, leaseMs]);
      return rows[0]!.r.map(toTopUp);
    },
    async settleTopUp(accountId, topUpId, outcome) {
      v.checkAccountId(accountId);
      if (!isUuid(topUpId)) throw ledgerError('TOP_UP_NOT_FOUND');
      const request = { accountId, topUpId, ...outcome, nextAttemptAt: outcome.outcome === 'retry' ? outcome.nextAttemptAt.toISOString() : undefined };
      const j = unwrap(await call('aivah_settle_top_up', request));
      let balance: Balance | undefined;
      if (j.balance) {
        balance = toBalance(j.balance);
        if (!j.replayed) emit(balance.accountId, balance);
      }
      return { topUp: toTopUp(j.topUp), ...(balance ? { balance } : {}), replayed: !!j.replayed };
    },
    async resumeAutoTopUp(accountId) {
      const j = await call('aivah_resume_auto_top_up', { accountId });
      return j ? toAutoTopUpSettings(j) : defaultAutoTopUp(accountId);
    },

    async getPlanAssignment(accountId) {
      const { rows } = await db.query<{ r: PlanAssignmentJson }>(`SELECT ${s}.plan_assignment_json(p) AS r FROM ${s}.plan_assignments p WHERE p.account_id = $1`, [accountId]);
      return rows[0] ? toPlanAssignment(rows[0].r) : null;
    },

    async applyPlan(input) {
      v.checkAccountId(input.accountId);
      const assignment = v.checkPlanAssignment(input.assignment);
      const planGrant = input.grant ? v.checkPlanGrant(input.grant) : null;
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      const j = await call('aivah_apply_plan', {
        accountId: input.accountId,
        assignment: { ...assignment, anchorAt: iso(assignment.anchorAt), periodStart: iso(assignment.periodStart), periodEnd: iso(assignment.periodEnd) },
        grant: planGrant && { ...planGrant, expiresAt: iso(planGrant.expiresAt), rolloverExpiresAt: iso(planGrant.rolloverExpiresAt) },
      });
      const replayed = !!j.replayed;
      let grant = null;
      if (j.grant) {
        const { j: g, balance } = written<GrantWriteJson>({ ...j.grant, replayed });
        grant = { grantId: g.grantId, entry: toEntry(g.entry), balance, replayed };
      }
      return { assignment: toPlanAssignment(j.assignment), grant, replayed };
    },

    async reversePlanGrant(input) {
      v.checkPlanReversal(input);
      const { accountId, invoiceId, refunded, reason, idempotencyKey, requestHash } = input;
      const { j, balance } = written(await call('aivah_reverse', { accountId, invoiceId, reason, idempotencyKey, requestHash, ...(refunded ? { refunded } : {}) }));
      return { entry: j.entry ? toEntry(j.entry) : null, reversed: Number(j.reversed), deficitAdded: Number(j.deficitAdded), balance, replayed: !!j.replayed };
    },

    async listDuePlanRenewals(limit) {
      const { rows } = await db.query<{ r: PlanAssignmentJson }>(
        `SELECT ${s}.plan_assignment_json(p) AS r FROM ${s}.plan_assignments p
         WHERE p.status = 'active' AND p.stripe_subscription_id IS NULL AND p.period_end <= $1
         ORDER BY p.period_end LIMIT $2`, [clock().toISOString(), v.checkLimit(limit)]);
      return rows.map((r) => toPlanAssignment(r.r));
    },

    async warnExpiringGrants(leadTimesSeconds, limit) {
      const leads = v.checkLeadTimes(leadTimesSeconds);
      const { rows } = await db.query<{ r: number }>(`SELECT ${s}.aivah_warn_expiring($1::timestamptz, $2::integer[], $3) AS r`, [clock().toISOString(), leads, v.checkLimit(limit)]);
      return Number(rows[0]!.r);
    },
  };
}
