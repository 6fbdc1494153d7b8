/**
 * Group commit: consumes that arrive while earlier ones are in flight go to the database
 * together, as one call of `aivah_consume_batch`, which applies them in one transaction (one
 * lock acquisition per account, one commit for all). Each request still gets its own result
 * (its own entry, or its own error such as `INSUFFICIENT_CREDITS`), because the plpgsql returns
 * failures as values instead of raising.
 *
 * Batches mix accounts, so a server spending from many accounts at once also commits them
 * together, but an account is in at most one batch in flight: a hot account's consumes queue
 * behind its batch instead of waiting on its row lock in another connection. At most
 * `maxConcurrent` batches are in flight. This is a speed-up only: correctness still comes from
 * the database row locks, so several processes batching independently stay correct.
 * @internal
 * @module
 */

interface Pending<Request, Result> { accountId: string; p: Request; resolve: (r: Result) => void; reject: (e: unknown) => void }

/**
 * Natural batching: no timer, no added latency when the ledger is idle. `run` answers each
 * request of a batch with its own result, in request order.
 */
export class ConsumeBatcher<Request, Result> {
  private readonly queue: Pending<Request, Result>[] = [];
  private readonly busyAccounts = new Set<string>();
  private inFlight = 0;

  constructor(
    private readonly run: (items: Request[]) => Promise<Result[]>,
    private readonly maxSize = 64,
    private readonly maxConcurrent = 4,
  ) {}

  /** Queues one consume and resolves with its own result. */
  submit(accountId: string, p: Request): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ accountId, p, resolve, reject });
      this.pump();
    });
  }

  /** Starts batches while there are free slots and queued consumes of accounts not in flight. */
  private pump(): void {
    while (this.inFlight < this.maxConcurrent && this.queue.length > 0) {
      const batch: Pending<Request, Result>[] = [];
      // Queue order is kept per account: once one consume of an account is passed over (its
      // account is in flight), every later one of that account is too.
      for (let i = 0; i < this.queue.length && batch.length < this.maxSize; ) {
        if (this.busyAccounts.has(this.queue[i]!.accountId)) {
          i++;
          continue;
        }
        batch.push(...this.queue.splice(i, 1));
      }
      if (batch.length === 0) return;
      for (const b of batch) this.busyAccounts.add(b.accountId);
      this.inFlight++;
      void this.flush(batch);
    }
  }

  private async flush(batch: Pending<Request, Result>[]): Promise<void> {
    try {
      const results = await this.run(batch.map((b) => b.p));
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (error) {
      // The whole transaction rolled back, so nothing of this batch was applied: retry each
      // request alone, so that one bad request cannot fail its neighbours.
      if (batch.length === 1) batch[0]!.reject(error);
      else {
        for (const b of batch) await this.run([b.p]).then((r) => b.resolve(r[0]!), b.reject);
      }
    } finally {
      for (const b of batch) this.busyAccounts.delete(b.accountId);
      this.inFlight--;
      this.pump();
    }
  }
}
