/**
 * Group commit for the hot account: while one consume call for an account is in flight, further
 * consumes of that account queue up and go to the database together as one call of
 * `aivah_consume_batch`, which applies them in order inside one transaction (one lock acquisition,
 * one commit). Each request still gets its own result — its own entry, or its own error such as
 * `INSUFFICIENT_CREDITS` — because the plpgsql returns failures as values instead of raising.
 * This is a speed-up only: correctness still comes from the database row lock, so several
 * processes batching independently stay correct.
 * @internal
 * @module
 */

type Json = Record<string, any>;
interface Pending { p: Json; resolve: (r: Json) => void; reject: (e: unknown) => void }

/** Per-account natural batching: no timer, no added latency when the account is idle. */
export class ConsumeBatcher {
  private readonly queues = new Map<string, Pending[]>();

  constructor(
    private readonly run: (items: Json[]) => Promise<Json[]>,
    private readonly maxSize = 64,
  ) {}

  /** Queues one consume and resolves with its own result. */
  submit(accountId: string, p: Json): Promise<Json> {
    return new Promise((resolve, reject) => {
      const q = this.queues.get(accountId);
      if (q) {
        q.push({ p, resolve, reject });
        return;
      }
      this.queues.set(accountId, []);
      void this.flush(accountId, [{ p, resolve, reject }]);
    });
  }

  private async flush(accountId: string, batch: Pending[]): Promise<void> {
    try {
      const results = await this.run(batch.map((b) => b.p));
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (error) {
      // The whole transaction rolled back, so nothing of this batch was applied: retry each
      // request alone, so that one bad request cannot fail its neighbours.
      if (batch.length === 1) batch[0]!.reject(error);
      else await Promise.all(batch.map((b) => this.run([b.p]).then((r) => b.resolve(r[0]!), b.reject)));
    }
    const q = this.queues.get(accountId)!;
    if (q.length === 0) {
      this.queues.delete(accountId);
      return;
    }
    void this.flush(accountId, q.splice(0, this.maxSize));
  }
}
