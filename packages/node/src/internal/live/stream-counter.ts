/**
 * Counts open balance streams per identity, so one user cannot hold an unbounded number of them
 * (each costs a connection, a timer and a listener). Counts are per handler, i.e. per process: a
 * user spread over N instances can hold up to N × the limit, which still bounds every instance.
 * @module
 */

/** Open streams by identity key. */
export interface StreamCounter {
  /** The largest number of streams one key may hold. */
  readonly limit: number;
  /** Takes a slot for `key`; returns its release function, or `null` when the key is at the limit. */
  acquire(key: string): (() => void) | null;
}

/** Creates a counter allowing `limit` streams per key. */
export function createStreamCounter(limit: number): StreamCounter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('maxStreamsPerIdentity must be a positive integer');
  const open = new Map<string, number>();
  return {
    limit,
    acquire(key) {
      const count = open.get(key) ?? 0;
      if (count >= limit) return null;
      open.set(key, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(key) ?? 1) - 1;
        if (left === 0) open.delete(key);
        else open.set(key, left);
      };
    },
  };
}
