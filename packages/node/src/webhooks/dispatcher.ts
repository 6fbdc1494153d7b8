/**
 * Outbound webhooks: claims events from the ledger's outbox, signs and POSTs them, and records the
 * outcome. All state lives in the outbox, so a restart (or a crash mid-delivery) loses nothing:
 * an unacknowledged event's lease runs out and it is claimed again (at-least-once delivery).
 * @module
 */
import type { LedgerOutbox } from '../ledger/adapter.js';
import type { OutboxEvent } from '../ledger/types.js';
import type { Logger } from '../logger.js';
import { signWebhook } from './signature.js';

/** Options of {@link createWebhookDispatcher}. */
export interface WebhookDispatcherOptions {
  /** The ledger whose outbox is delivered (its outbox slice). */
  ledger: LedgerOutbox;
  /** The receiver's endpoint. */
  url: string;
  /** Signing secret, `whsec_<base64>` (Standard Webhooks) or any string. */
  secret: string;
  /** Default: global `fetch`. */
  fetch?: typeof fetch;
  /** Poll interval. Default 1000 ms. */
  intervalMs?: number;
  /** Events per poll. Default 20. */
  batchSize?: number;
  /** Attempts before an event is parked (retried only every `maxBackoffMs`). Default 12. */
  maxAttempts?: number;
  /** Backoff after the first failure; doubles per attempt. Default 1000 ms. */
  baseBackoffMs?: number;
  /** Longest backoff. Default 1 hour. */
  maxBackoffMs?: number;
  /** Per-attempt timeout. Default 10 s. */
  timeoutMs?: number;
  /** Default: `console`. */
  logger?: Logger;
}

/** A running dispatcher. */
export interface WebhookDispatcher {
  /** Starts polling the outbox (a no-op when running). */
  start(): void;
  /** Stops polling and waits for the deliveries in flight. */
  stop(): Promise<void>;
  /** One poll: claims due events and delivers them. Returns how many were delivered. */
  runOnce(): Promise<number>;
}

/**
 * Creates a dispatcher. Run one per process; several processes share the outbox safely because
 * claims are leased (`FOR UPDATE SKIP LOCKED` on Postgres).
 *
 * @example
 * const dispatcher = createWebhookDispatcher({ ledger, url: process.env.WEBHOOK_URL!, secret: process.env.WEBHOOK_SECRET! });
 * dispatcher.start();
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const doFetch = options.fetch ?? fetch;
  const intervalMs = options.intervalMs ?? 1000;
  const maxAttempts = options.maxAttempts ?? 12;
  const base = options.baseBackoffMs ?? 1000;
  const maxBackoff = options.maxBackoffMs ?? 3_600_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const logger = options.logger ?? console;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let inFlight: Promise<unknown> = Promise.resolve();

  async function deliver(event: OutboxEvent): Promise<boolean> {
    const body = JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt, accountId: event.accountId, data: event.data });
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await doFetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': event.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': await signWebhook(options.secret, event.id, timestamp, body),
          'user-agent': 'aivah-credits-webhooks/1',
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel().catch(() => {});
      if (res.ok) {
        await options.ledger.markOutboxDelivered(event.id);
        return true;
      }
      await fail(event, `HTTP ${res.status}`);
    } catch (error) {
      await fail(event, String((error as Error)?.message ?? error)).catch(() => {});
    }
    return false;
  }

  async function fail(event: OutboxEvent, reason: string): Promise<void> {
    // `attempts` counts this attempt (the claim incremented it). Jitter spreads retries of a burst.
    const exponent = Math.min(event.attempts - 1, 30);
    const backoff = event.attempts >= maxAttempts ? maxBackoff : Math.min(maxBackoff, base * 2 ** exponent);
    const delay = Math.round(backoff * (0.8 + Math.random() * 0.4));
    if (event.attempts === maxAttempts) logger.error('webhook delivery keeps failing; retrying hourly', { eventId: event.id, reason });
    await options.ledger.markOutboxFailed(event.id, reason.slice(0, 500), new Date(Date.now() + delay));
  }

  async function runOnce(): Promise<number> {
    const events = await options.ledger.claimOutboxEvents(options.batchSize ?? 20, timeoutMs * 3);
    const results = await Promise.all(events.map(deliver));
    return results.filter(Boolean).length;
  }

  // Consecutive failed claims (the database is down): the poll backs off instead of spinning, and
  // the outage is logged once when it starts and once when it ends, not every second.
  let failures = 0;
  function schedule(delay: number) {
    if (!running) return;
    timer = setTimeout(() => {
      const run = runOnce().then(
        (n) => {
          if (failures > 0) logger.info('webhook dispatch resumed', { after: failures });
          failures = 0;
          schedule(n > 0 ? 0 : intervalMs);
        },
        (error: unknown) => {
          if (failures === 0) logger.error('webhook dispatch failed; backing off until the database answers', { error: String(error) });
          failures++;
          schedule(Math.min(intervalMs * 2 ** Math.min(failures, 5), 30_000));
        },
      );
      inFlight = run;
    }, delay);
  }

  return {
    runOnce,
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
    },
  };
}
