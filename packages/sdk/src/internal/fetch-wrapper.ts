import { CreditsConnectionError, CreditsTimeoutError, parseRetryAfter } from '../errors.js';
import type { ErrorCode } from '../types.js';
import { parseJsonObject, readText, toAPIError } from './error-mapping.js';
import { needsIdempotencyKey, newIdempotencyKey } from './idempotency.js';

/** Per-call options (the public `RequestOptions`). */
export interface CallOptions {
  idempotencyKey?: string | undefined;
  signal?: AbortSignal | null | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  headers?: Record<string, string> | undefined;
}

export interface TransportConfig {
  fetch?: typeof fetch | undefined;
  apiKey?: string | undefined;
  getToken?: (() => string | null | undefined | Promise<string | null | undefined>) | undefined;
  headers?: Record<string, string> | undefined;
  /** Default 2. */
  maxRetries?: number | undefined;
  /** Default 60000; `0` turns the timeout off. */
  timeoutMs?: number | undefined;
}

/**
 * Sends one logical call: `send(method, url, body?, opts?)` resolves with a 2xx `Response` or
 * rejects with a typed error.
 */
export type Send = (method: string, url: string, body?: BodyInit, opts?: CallOptions) => Promise<Response>;

const MAX_RETRY_AFTER_MS = 60_000;

/** Exponential backoff: `base` · 2^n (by default 0.5 s), capped at `cap` (8 s), ±25 % jitter. */
export function backoffMs(attempt: number, base = 500, cap = 8000): number {
  return Math.min(base * 2 ** attempt, cap) * (0.75 + Math.random() * 0.5);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A signal that aborts with whichever of the caller's signal or the timeout's controller aborts
 * first. It stays linked after the headers arrive, so a caller abort also stops reading the body
 * (SSE). `AbortSignal.any` holds its sources weakly; the listener is the fallback for old browsers.
 */
function linkSignals(caller: AbortSignal, timeout: AbortController): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([caller, timeout.signal]);
  caller.addEventListener('abort', () => timeout.abort(caller.reason), { once: true });
  return timeout.signal;
}

/** 5xx codes of this API whose cause passes: a retry with the same key can succeed. */
const TRANSIENT_5XX: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['INTERNAL_ERROR', 'SERVICE_UNAVAILABLE', 'PAYMENT_PROVIDER_ERROR']);

/**
 * Whether another attempt with the same idempotency key can get a different answer, from the status
 * and the parsed problem `code` (`undefined` when the body is not a problem document):
 * - 408, and 409 `IDEMPOTENCY_KEY_IN_USE` (the first request is still running): yes;
 * - 429: yes, except `TOO_MANY_STREAMS` (nothing frees a stream while this call waits);
 * - 5xx: `INTERNAL_ERROR`, `SERVICE_UNAVAILABLE` (the database is coming back) and
 *   `PAYMENT_PROVIDER_ERROR`; without a problem, only a gateway's 502/503/504. Never a configuration
 *   error such as 503 `PAYMENTS_NOT_CONFIGURED`, a code this SDK does not know, or a bare 500 (a
 *   framework's error page: the same request fails the same way).
 */
export function canRetry(status: number, code: string | undefined): boolean {
  if (status === 408) return true;
  if (status === 409) return code === 'IDEMPOTENCY_KEY_IN_USE';
  if (status === 429) return code !== 'TOO_MANY_STREAMS';
  if (status >= 500) return code === undefined ? status >= 502 && status <= 504 : TRANSIENT_5XX.has(code as ErrorCode);
  return false;
}

/**
 * The one place for the client's cross-cutting behaviour, used by every SDK method and, as the
 * `fetch` of openapi-fetch, by the raw client of `@aivah/credits/raw`:
 * - `Authorization: Bearer` from `apiKey` or `await getToken()`;
 * - one `Idempotency-Key` per logical POST/PUT (the caller's, or a fresh UUID), re-sent on retries;
 * - a per-attempt timeout until the headers arrive, combined with the caller's signal;
 * - retries with jittered backoff honouring `Retry-After` on network errors, timeouts and the
 *   answers {@link canRetry} accepts (it reads the problem `code`) — never on other 4xx or on a
 *   configuration error;
 * - a non-2xx answer becomes the typed error of its status.
 *
 * A caller abort rejects with the signal's reason (a `DOMException` named `AbortError`), unretried.
 * The request headers of a plain GET are one object shared by all calls: nothing is allocated
 * per call that a bare `fetch` would not allocate too.
 */
export function createTransport(config: TransportConfig): Send {
  const { apiKey, getToken } = config;
  const baseHeaders: Record<string, string> = { ...config.headers };
  if (apiKey) baseHeaders.Authorization = `Bearer ${apiKey}`;

  return async function send(method, url, body, opts) {
    let headers = baseHeaders;
    const idempotent = needsIdempotencyKey(method);
    if (opts?.headers || body !== undefined || idempotent || (getToken && !apiKey)) {
      headers = { ...baseHeaders, ...opts?.headers };
      if (typeof body === 'string' && !hasHeader(headers, 'content-type')) {
        headers['Content-Type'] = 'application/json';
      }
      if (getToken && !apiKey && !hasHeader(headers, 'authorization')) {
        const token = await getToken();
        if (token) headers.Authorization = `Bearer ${token}`;
      }
      if (idempotent && !hasHeader(headers, 'idempotency-key')) {
        headers['Idempotency-Key'] = opts?.idempotencyKey ?? newIdempotencyKey();
      } else if (opts?.idempotencyKey) {
        headers['Idempotency-Key'] = opts.idempotencyKey;
      }
    }
    const maxRetries = opts?.maxRetries ?? config.maxRetries ?? 2;
    const timeoutMs = opts?.timeoutMs ?? config.timeoutMs ?? 60_000;
    const signal = opts?.signal ?? undefined;
    const doFetch = config.fetch ?? globalThis.fetch;
    const init: RequestInit = { method, headers, body };

    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw signal.reason;
      // `timeoutMs: 0` turns the timeout off: then no signal at all is handed to fetch (undici's
      // per-request signal bookkeeping is the largest per-call cost of this transport).
      let controller: AbortController | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let timedOut = false;
      if (timeoutMs > 0) {
        const c = (controller = new AbortController());
        timer = setTimeout(() => {
          timedOut = true;
          c.abort(timeoutError(timeoutMs));
        }, timeoutMs);
      }
      init.signal = controller ? (signal ? linkSignals(signal, controller) : controller.signal) : signal;

      let response: Response | undefined;
      try {
        response = await doFetch(url, init);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (attempt >= maxRetries) {
          throw timedOut
            ? timeoutError(timeoutMs, { cause: error })
            : new CreditsConnectionError(`Connection error: ${(error as Error)?.message ?? error}`, { cause: error });
        }
      } finally {
        clearTimeout(timer);
      }

      let delay: number | undefined;
      if (response) {
        if (response.ok) return response;
        const { status } = response;
        // The body decides (its problem `code`), and it is read once: the error thrown is built from it.
        const text = await readText(response);
        if (signal?.aborted) throw signal.reason;
        const problem = parseJsonObject(text);
        if (attempt >= maxRetries || !canRetry(status, typeof problem?.code === 'string' ? problem.code : undefined)) {
          throw toAPIError(status, response.headers, text, response.statusText, problem);
        }
        delay = parseRetryAfter(response.headers.get('retry-after'));
      }
      await sleep(Math.min(delay ?? backoffMs(attempt), MAX_RETRY_AFTER_MS), signal);
    }
  };
}

const timeoutError = (ms: number, options?: ErrorOptions) => new CreditsTimeoutError(`Request timed out after ${ms} ms`, options);

function hasHeader(headers: Record<string, string>, lowerName: string): boolean {
  for (const k in headers) if (k.toLowerCase() === lowerName) return true;
  return false;
}
