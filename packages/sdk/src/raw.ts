/**
 * `@aivah/credits/raw`: the [openapi-fetch](https://openapi-ts.dev/openapi-fetch/) client of the
 * spec, for any operation by path, with the same transport as `createCreditsClient`: auth,
 * an `Idempotency-Key` per POST/PUT reused on retries, retries, timeouts and typed errors.
 *
 * It is its own entry so that apps using only the readable methods do not ship openapi-fetch.
 *
 * @example
 * import { createRawClient } from '@aivah/credits/raw';
 *
 * const raw = createRawClient({ baseUrl: 'http://localhost:8787', apiKey: process.env.CREDITS_SECRET_KEY });
 * const { data } = await raw.GET('/v1/accounts/{accountId}/usage', { params: { path: { accountId: 'me' }, query: { days: 7 } } });
 *
 * @packageDocumentation
 */
import createClient, { type Client } from 'openapi-fetch';
import type { HttpMethod } from 'openapi-typescript-helpers';
import type { CreditsClientOptions } from './client.js';
import type { paths } from './generated/openapi.js';
import { createTransport, type CallOptions, type Send } from './internal/fetch-wrapper.js';

/**
 * An operation whose `Idempotency-Key` header is optional, because the transport supplies one. The
 * spec requires the header on operations that move credits or money; the raw client always sends one
 * (yours from `params.header` or the `idempotencyKey` init key, or a fresh UUID reused on retries).
 */
export type WithOptionalIdempotencyKey<Op> = Op extends Record<'parameters', Record<'header', infer H>>
  ? 'Idempotency-Key' extends keyof H
    ? Omit<Op, 'parameters'> & {
        /** The operation's parameters, with `header` optional. */
        parameters: Omit<Op['parameters'], 'header'> & {
          /** The operation's headers, with `Idempotency-Key` optional. */
          header?: Omit<H, 'Idempotency-Key'> & {
            /** The key of this logical operation; a fresh UUID when absent, reused on retries. */
            'Idempotency-Key'?: H['Idempotency-Key'];
          };
        };
      }
    : Op
  : Op;

/**
 * The spec's `paths` as the raw client takes them: identical, except that no operation requires the
 * `Idempotency-Key` header (see {@link createRawClient}).
 */
export type RawPaths = {
  [P in keyof paths]: { [K in keyof paths[P]]: K extends HttpMethod ? WithOptionalIdempotencyKey<paths[P][K]> : paths[P][K] };
};

/** The openapi-fetch client over {@link RawPaths}. A non-2xx answer rejects with the typed error rather than returning `error`. */
export type RawClient = Client<RawPaths>;

/**
 * Adapts {@link Send} to the `fetch` signature openapi-fetch calls with a `Request`, so the raw client
 * gets exactly the same auth, idempotency, retries, timeouts and typed errors. Per-call `timeoutMs`,
 * `maxRetries` and `idempotencyKey` can be passed as extra init keys: openapi-fetch copies unknown
 * init keys onto the `Request`.
 */
function toFetch(send: Send): (request: Request) => Promise<Response> {
  return async (request) => {
    const extra = request as unknown as CallOptions;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const body = request.body === null ? undefined : await request.arrayBuffer();
    return send(request.method, request.url, body, {
      headers,
      signal: request.signal,
      timeoutMs: extra.timeoutMs,
      maxRetries: extra.maxRetries,
      idempotencyKey: extra.idempotencyKey,
    });
  };
}

/**
 * Creates the raw client: every operation of the spec by path, typed by openapi-fetch, through the
 * same transport as `createCreditsClient` (same options). Errors reject as the typed
 * `CreditsAPIError` subclasses; `data` is the success body.
 *
 * @example
 * const raw = createRawClient({ baseUrl: 'http://localhost:8787', apiKey: process.env.CREDITS_SECRET_KEY });
 * // No Idempotency-Key needed: the transport sends one and reuses it on retries.
 * const { data } = await raw.POST('/v1/accounts/{accountId}/grants', {
 *   params: { path: { accountId: 'acct_123' } },
 *   body: { amount: 100, source: 'promo' },
 * });
 */
export function createRawClient(options: CreditsClientOptions): RawClient {
  return createClient<RawPaths>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), fetch: toFetch(createTransport(options)) });
}

export type { CreditsClientOptions } from './client.js';
