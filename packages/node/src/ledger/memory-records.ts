/**
 * The in-memory ledger's idempotency records and outbox, apart from the ledger operations in
 * `memory.ts`. Both behave as the SQL tables of the same name do.
 * @internal
 * @module
 */
import { ledgerError, type LedgerError } from './errors.js';
import type { MemOutbox } from './memory-state.js';
import type { IdempotencyBegin, OutboxEvent } from './types.js';

/** What a ledger write stores per key: its outcome, never the whole response. @internal */
export interface StoredOutcome {
  seq?: number | null;
  grantId?: string;
  holdId?: string;
  reversed?: number;
  deficitAdded?: number;
  error?: { code: LedgerError['code']; details: Record<string, unknown> };
}

interface IdempotencyRecord { hash: string; state: 'pending' | 'done'; response: unknown; createdAt: number }

/** Idempotency records, keyed per account. @internal */
export class MemIdempotencyRecords {
  private readonly records = new Map<string, IdempotencyRecord>();

  private static key(accountId: string, key: string): string {
    return `${accountId}\u0000${key}`;
  }

  /** The stored outcome of a finished write with this key; throws on another hash or while claimed; undefined when new. */
  previousOutcome(accountId: string, key: string, hash: string): StoredOutcome | undefined {
    const rec = this.records.get(MemIdempotencyRecords.key(accountId, key));
    if (!rec) return undefined;
    if (rec.hash !== hash) throw ledgerError('IDEMPOTENCY_KEY_REUSED');
    if (rec.state === 'pending') throw ledgerError('IDEMPOTENCY_KEY_IN_USE');
    return rec.response as StoredOutcome;
  }

  /** Stores a finished write's outcome. */
  remember(accountId: string, key: string, hash: string, outcome: StoredOutcome, now: number): void {
    this.records.set(MemIdempotencyRecords.key(accountId, key), { hash, state: 'done', response: outcome, createdAt: now });
  }

  /** `beginIdempotency`. */
  begin(accountId: string, key: string, hash: string, now: number): IdempotencyBegin {
    const k = MemIdempotencyRecords.key(accountId, key);
    const rec = this.records.get(k);
    if (!rec) {
      this.records.set(k, { hash, state: 'pending', response: null, createdAt: now });
      return { state: 'new' };
    }
    if (rec.hash !== hash) throw ledgerError('IDEMPOTENCY_KEY_REUSED');
    if (rec.state === 'pending') throw ledgerError('IDEMPOTENCY_KEY_IN_USE');
    return { state: 'replay', response: rec.response };
  }

  /** `completeIdempotency`. */
  complete(accountId: string, key: string, response: unknown): void {
    const rec = this.records.get(MemIdempotencyRecords.key(accountId, key));
    if (rec) Object.assign(rec, { state: 'done', response });
  }

  /** `abandonIdempotency`. */
  abandon(accountId: string, key: string): void {
    const k = MemIdempotencyRecords.key(accountId, key);
    if (this.records.get(k)?.state === 'pending') this.records.delete(k);
  }

  /** Deletes records created before `cutoff`; returns how many. */
  prune(cutoff: number): number {
    let deleted = 0;
    for (const [k, rec] of this.records) {
      if (rec.createdAt < cutoff) {
        this.records.delete(k);
        deleted++;
      }
    }
    return deleted;
  }
}

/** The outbox: events in commit order, claimed with leases. @internal */
export class MemOutboxStore {
  private readonly events: MemOutbox[] = [];
  private seq = 0;

  /** The next sequence number (commit order). */
  nextSeq = (): number => ++this.seq;

  /** Adds the events of a committed operation. */
  add(events: readonly MemOutbox[]): void {
    this.events.push(...events);
  }

  /** `claimOutboxEvents`. */
  claim(limit: number, leaseMs: number, now: number): OutboxEvent[] {
    const due = this.events
      .filter((e) => e.deliveredAt === null && e.nextAttemptAt <= now && (e.lockedUntil === null || e.lockedUntil <= now))
      .sort((x, y) => x.nextAttemptAt - y.nextAttemptAt || x.seq - y.seq)
      .slice(0, limit);
    return due.map((e) => {
      e.lockedUntil = now + leaseMs;
      e.attempts += 1;
      return { id: e.id, type: e.type, accountId: e.accountId, data: e.data, createdAt: new Date(e.createdAt).toISOString(), attempts: e.attempts };
    });
  }

  /** `markOutboxDelivered`. */
  delivered(eventId: string, now: number): void {
    const e = this.events.find((x) => x.id === eventId);
    if (e) e.deliveredAt = now;
  }

  /** `markOutboxFailed`. */
  failed(eventId: string, error: string, nextAttemptAt: number): void {
    const e = this.events.find((x) => x.id === eventId && x.deliveredAt === null);
    if (e) Object.assign(e, { lastError: error, nextAttemptAt, lockedUntil: null });
  }

  /** Deletes delivered events created before `cutoff`, in one pass; returns how many. */
  prune(cutoff: number): number {
    const kept = this.events.filter((e) => e.deliveredAt === null || e.createdAt >= cutoff);
    const deleted = this.events.length - kept.length;
    this.events.splice(0, this.events.length, ...kept);
    return deleted;
  }

}
