import { CreditsAPIError } from '../errors.js';
import type { Balance } from '../types.js';
import { backoffMs, sleep, type Send } from './fetch-wrapper.js';
import { createSSEParser, type SSEEvent } from './sse.js';

/** The state of a balance subscription. */
export type BalanceStreamStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Options of `client.balance.subscribe`. */
export interface BalanceSubscribeOptions {
  /** Every failure: connection errors, dropped streams' errors, unparsable events, and the final error. */
  onError?: (error: unknown) => void;
  /** Connection state changes; `closed` after unsubscribing or a non-retryable error. */
  onStatus?: (status: BalanceStreamStatus) => void;
  /** Aborting it unsubscribes. */
  signal?: AbortSignal;
  /** Base reconnect delay in ms (doubles per failed attempt up to 30 s); the server's `retry:` overrides it. Default 1000. */
  retryMs?: number;
  /**
   * Reconnect when nothing (not even a heartbeat) arrives for this long, in ms: a connection that
   * died without closing would otherwise wait forever. The server sends a heartbeat every 15 s. Default 45000.
   */
  idleTimeoutMs?: number;
}

const MAX_RECONNECT_MS = 30_000;

/** Client errors that reconnecting will not fix (bad account, missing scope, bad credentials). */
function isFatal(error: unknown): boolean {
  return error instanceof CreditsAPIError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

/**
 * Streams `balance` events of `accountId` over `fetch` (no `EventSource`: Node 20 lacks it, and it
 * cannot send an `Authorization` header). Requests go through the client's transport, so auth
 * and typed errors are the same as for every other call; reconnects send `Last-Event-ID`.
 */
export function subscribeBalance(
  send: Send,
  url: string,
  onUpdate: (balance: Balance) => void,
  opts: BalanceSubscribeOptions = {},
): () => void {
  const { onError, onStatus, signal: outer } = opts;
  const controller = new AbortController();
  const signal = controller.signal;
  let retryMs = opts.retryMs ?? 1000;
  const idleTimeoutMs = opts.idleTimeoutMs ?? 45_000;
  let lastEventId: string | undefined;
  let closed = false;

  const unsubscribe = () => {
    if (closed) return;
    closed = true;
    controller.abort();
    outer?.removeEventListener('abort', unsubscribe);
    onStatus?.('closed');
  };
  if (outer?.aborted) {
    closed = true;
    return () => {};
  }
  outer?.addEventListener('abort', unsubscribe, { once: true });

  const onEvent = (event: SSEEvent) => {
    lastEventId = event.id;
    if (event.event !== 'balance' && event.event !== 'message') return;
    try {
      // An unparsable event and a throwing listener both go to onError: neither tears down the stream.
      onUpdate(JSON.parse(event.data) as Balance);
    } catch (error) {
      onError?.(error);
    }
  };

  const connectOnce = async (): Promise<boolean> => {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
    // Reconnects are this loop's job; the transport's timeout ends when the headers arrive.
    const { body } = await send('GET', url, undefined, { headers, signal, maxRetries: 0 });
    if (!body) return false;
    onStatus?.('open');
    // A fresh parser per connection: half an event from a dropped stream must not merge into the next.
    const push = createSSEParser(onEvent, (ms) => (retryMs = ms), lastEventId);
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let received = false;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => void reader.cancel().catch(() => {}), idleTimeoutMs);
    };
    try {
      armIdle();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armIdle();
        received = true;
        push(decoder.decode(value, { stream: true }));
      }
    } finally {
      clearTimeout(idle);
      reader.releaseLock();
    }
    return received;
  };

  void (async () => {
    onStatus?.('connecting');
    for (let attempt = 0; !closed; ) {
      try {
        // A stream that delivered data resets the backoff; one that ended at once counts as a failure.
        attempt = (await connectOnce()) ? 0 : attempt + 1;
      } catch (error) {
        if (closed) return;
        onError?.(error);
        if (isFatal(error)) return unsubscribe();
        attempt++;
      }
      if (closed) return;
      onStatus?.('reconnecting');
      // The wait only fails when unsubscribing aborts it; the loop then ends on `closed`.
      await sleep(backoffMs(Math.max(0, attempt - 1), retryMs, MAX_RECONNECT_MS), signal).catch(() => {});
    }
  })();

  return unsubscribe;
}
