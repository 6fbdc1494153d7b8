import type { IsOperationRequestBodyOptional, OperationRequestBodyContent, SuccessResponseJSON } from 'openapi-typescript-helpers';
import { CreditsAPIError, CreditsConnectionError } from '../errors.js';
import type { paths } from '../generated/openapi.js';
import { parseJsonObject } from './error-mapping.js';
import type { CallOptions, Send } from './fetch-wrapper.js';

/** The HTTP methods the readable methods use. */
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The paths of the spec that have an operation for `M`. */
export type PathWith<M extends Method> = {
  [P in keyof paths]: paths[P][Lowercase<M>] extends undefined ? never : P;
}[keyof paths];

/** The operation of the spec at `M P` (its parameters, request body and responses). */
export type OperationAt<M extends Method, P extends keyof paths> = NonNullable<paths[P][Lowercase<M>]>;

type PathParams<Op> = Op extends { parameters: { path: infer T } } ? { path: T } : { path?: undefined };
type QueryParams<Op> = Op extends { parameters: { query?: infer Q } } ? { query?: Q | undefined } : { query?: undefined };
type BodyParam<Op> =
  IsOperationRequestBodyOptional<Op> extends true
    ? { body?: OperationRequestBodyContent<Op> | undefined }
    : { body: OperationRequestBodyContent<Op> };

/** What a call of the operation at `M P` sends: its path parameters, query and JSON body, as the spec types them. */
export type CallInit<M extends Method, P extends keyof paths> = PathParams<OperationAt<M, P>> &
  QueryParams<OperationAt<M, P>> &
  BodyParam<OperationAt<M, P>>;

/** The JSON body of the success answer of the operation at `M P`. */
export type CallResult<M extends Method, P extends keyof paths> = SuccessResponseJSON<OperationAt<M, P>>;

/**
 * Calls one operation of the spec. Params, body and result are all typed from `paths` by the method
 * and path literal, so a readable method wired to the wrong operation, or declaring a type its
 * operation does not return, fails to compile.
 */
export type Call = <M extends Method, P extends PathWith<M>>(method: M, path: P, init: CallInit<M, P>, opts?: CallOptions) => Promise<CallResult<M, P>>;

/** A path template with its `{params}` filled in and URL-encoded. */
export function expand(template: keyof paths, params: Record<string, string> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params?.[name] ?? ''));
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const key in query) if (query[key] !== undefined) search.set(key, String(query[key]));
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** Reads a 2xx body as a JSON object; an empty, cut-off or malformed body is a typed error, never a bare SyntaxError. */
async function readJson(response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // The caller's abort while the body streams in stays the standard AbortError.
    if ((error as Error)?.name === 'AbortError') throw error;
    throw new CreditsConnectionError(`Connection error while reading the response: ${(error as Error)?.message ?? error}`, { cause: error });
  }
  // Every success answer of the spec is an object.
  const body = parseJsonObject(text);
  if (body) return body;
  const { status } = response;
  const detail = text ? `The ${status} response body is not a JSON object.` : `The ${status} response has no body.`;
  throw new CreditsAPIError(
    status,
    { type: 'about:blank', title: 'Invalid response', status, code: 'INVALID_RESPONSE', requestId: '', detail },
    response.headers,
  );
}

/**
 * Like {@link Call}, for an operation whose success answer is not JSON (the CSV export): resolves
 * with the 2xx `Response` itself, unread, so its body can be streamed or saved.
 */
export type RawCall = <P extends PathWith<'GET'>>(path: P, init: CallInit<'GET', P>, accept: string, opts?: CallOptions) => Promise<Response>;

/** The {@link RawCall} of a client: the same transport (auth, retries, typed errors), no JSON parsing. */
export function createRawCall(send: Send, baseUrl: string): RawCall {
  return (path, init, accept, opts) => {
    const { path: params, query } = init as { path?: Record<string, string>; query?: Record<string, unknown> };
    return send('GET', baseUrl + expand(path, params) + queryString(query), undefined, { ...opts, headers: { accept, ...opts?.headers } });
  };
}

/** The {@link Call} of a client: every readable method is one line through it. */
export function createCall(send: Send, baseUrl: string): Call {
  return function call<M extends Method, P extends PathWith<M>>(method: M, path: P, init: CallInit<M, P>, opts?: CallOptions) {
    const { path: params, query, body } = init as { path?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
    const url = baseUrl + expand(path, params) + queryString(query);
    // The one place where the server's JSON meets the spec's types. Like openapi-fetch, the SDK trusts
    // the server to answer as its spec says; the type is the one `paths` gives this method and path.
    return send(method, url, body === undefined ? undefined : JSON.stringify(body), opts).then(readJson) as Promise<CallResult<M, P>>;
  };
}
