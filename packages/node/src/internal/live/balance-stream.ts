/**
 * The `streamBalance` Server-Sent Events response.
 * @module
 */
import type { Balance } from '../../ledger/types.js';
import type { BalanceHub } from './balance-hub.js';

/** Options of {@link createBalanceStream}. */
export interface BalanceStreamOptions {
  hub: BalanceHub;
  accountId: string;
  /** Reads the current balance (zero for an account without grants). */
  read: () => Promise<Balance>;
  /** The client's `Last-Event-ID`, if it reconnects. */
  lastEventId: string | null;
  heartbeatMs: number;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** Runs once when the stream ends (client gone, cancelled, or closed). */
  onClose?: () => void;
}

function event(balance: Balance): string {
  return `id: ${balance.version}\nevent: balance\ndata: ${JSON.stringify(balance)}\n\n`;
}

/**
 * A `text/event-stream` body: the current balance at once (skipped when `Last-Event-ID` equals
 * its version), then every change, with a heartbeat comment to keep proxies from closing it.
 * Everything is released on client abort or stream cancel.
 */
export function createBalanceStream(options: BalanceStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      // The version last sent on this connection, and the one the client already had before it.
      let lastVersion = -1;
      const clientVersion = options.lastEventId !== null && /^\d+$/.test(options.lastEventId) ? Number(options.lastEventId) : -1;
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const onBalance = (balance: Balance) => {
        // Notifications can arrive out of order (several instances); never step back.
        if (balance.version <= lastVersion) return;
        lastVersion = balance.version;
        send(event(balance));
      };
      // Subscribe before reading so that a change between the read and the subscription is not lost.
      const unsubscribe = options.hub.subscribe(options.accountId, onBalance);
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), options.heartbeatMs);
      const onAbort = () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed or errored
        }
      };
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        options.onClose?.();
        options.signal.removeEventListener('abort', onAbort);
      };
      if (options.signal.aborted) return onAbort();
      options.signal.addEventListener('abort', onAbort, { once: true });
      send('retry: 2000\n\n');
      try {
        const current = await options.read();
        if (current.version !== clientVersion && current.version > lastVersion) {
          lastVersion = current.version;
          send(event(current));
        } else if (current.version === clientVersion) {
          lastVersion = Math.max(lastVersion, current.version);
        }
      } catch {
        // The stream stays open; the next change (or a reconnect) brings the balance.
      }
    },
    cancel() {
      cleanup();
    },
  });
}
