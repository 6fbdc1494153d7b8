import type { components } from './generated/openapi.js';

/**
 * The RFC 9457 problem body of an error response. `code` is one of the spec's {@link ErrorCode}s,
 * or `UNKNOWN` when the server sent no problem document (an HTML page from a proxy, say).
 */
export type ProblemDetails = Omit<components['schemas']['Problem'], 'code'> & {
  /** The stable problem code (see the spec's `ErrorCode`), or `UNKNOWN` / `INVALID_RESPONSE`. */
  code: components['schemas']['ErrorCode'] | 'UNKNOWN' | 'INVALID_RESPONSE' | (string & {});
  [key: string]: unknown;
};
type Problem = ProblemDetails;
type ErrorCode = components['schemas']['ErrorCode'];

/** Marks every error thrown by this SDK, so checks work across bundles where `instanceof` fails. */
const BRAND = Symbol.for('aivah.credits.error');

const numberOr0 = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** `Retry-After` in seconds, when the server said. */
const retryAfterSeconds = (headers: Headers): number | undefined => {
  const ms = parseRetryAfter(headers.get('retry-after'));
  return ms === undefined ? undefined : ms / 1000;
};

/**
 * Base class of every error this SDK throws (a user abort is the exception: it rejects with the
 * standard `DOMException` named `AbortError`).
 *
 * @example
 * try { await client.balance.get(); } catch (e) { if (e instanceof CreditsError) console.log(e.type); }
 */
export class CreditsError extends Error {
  // A string, not the class's own name: an app's minifier renames classes.
  static {
    this.prototype.name = 'CreditsError';
  }

  /** A stable, machine-readable kind of error, e.g. `insufficient_credits_error`. */
  readonly type: string = 'credits_error';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    (this as unknown as Record<symbol, boolean>)[BRAND] = true;
  }
}

/**
 * The API answered with an error status (or with a 2xx body that could not be read).
 * The subclass is chosen from the status code; `code` is the spec's stable problem `code`.
 *
 * @example
 * catch (e) { if (e instanceof CreditsAPIError) console.log(e.status, e.code, e.requestId); }
 */
export class CreditsAPIError extends CreditsError {
  static {
    this.prototype.name = 'CreditsAPIError';
  }
  override readonly type: string = 'api_error';
  /** The HTTP status code. */
  declare readonly status: number;
  /** The problem `code` (`UNKNOWN` when the body was not a problem document). */
  declare readonly code: string;
  /** The `X-Request-Id` of the response (or the problem's `requestId`), for support. */
  declare readonly requestId: string | undefined;
  /** The RFC 9457 problem body, synthesised from the status when the server sent none. */
  declare readonly problem: Problem;
  /** The response headers. */
  declare readonly headers: Headers;

  constructor(status: number, problem: Problem, headers: Headers, message?: string) {
    super(message ?? `${status} ${problem.code}: ${problem.detail ?? problem.title}`);
    // Assigned in one go (the fields are `declare`d, so no empty definitions precede it): the same
    // own properties, in the same order, as one assignment each.
    Object.assign(this, { status, code: problem.code, requestId: headers.get('x-request-id') ?? (problem.requestId || undefined), problem, headers });
  }
}

/** 400: the request is malformed or does not match the schema (`problem.errors` lists the fields). */
export class BadRequestError extends CreditsAPIError {
  static {
    this.prototype.name = 'BadRequestError';
  }
  override readonly type: string = 'bad_request_error';
}

/** 401: no valid credentials (check `apiKey` / `getToken`). */
export class AuthenticationError extends CreditsAPIError {
  static {
    this.prototype.name = 'AuthenticationError';
  }
  override readonly type: string = 'authentication_error';
}

/**
 * 402 `INSUFFICIENT_CREDITS`: too few available credits; nothing was deducted.
 *
 * @example
 * catch (e) { if (isInsufficientCreditsError(e)) showBuyDialog(e.required - e.available); }
 */
export class InsufficientCreditsError extends CreditsAPIError {
  static {
    this.prototype.name = 'InsufficientCreditsError';
  }
  override readonly type: string = 'insufficient_credits_error';
  /** Credits available when the request was made. */
  readonly available: number = numberOr0(this.problem.available);
  /** Credits the request needed. */
  readonly required: number = numberOr0(this.problem.required);
}

/** 403: the credentials lack a scope this operation needs. */
export class PermissionDeniedError extends CreditsAPIError {
  static {
    this.prototype.name = 'PermissionDeniedError';
  }
  override readonly type: string = 'permission_denied_error';
}

/** 404: no such account, hold, checkout session or package (or not one the caller may see). */
export class NotFoundError extends CreditsAPIError {
  static {
    this.prototype.name = 'NotFoundError';
  }
  override readonly type: string = 'not_found_error';
}

/** 409: the hold is no longer active (unretried), or the idempotency key is still in use after all retries. */
export class ConflictError extends CreditsAPIError {
  static {
    this.prototype.name = 'ConflictError';
  }
  override readonly type: string = 'conflict_error';
}

/** 422: e.g. `IDEMPOTENCY_KEY_REUSED`, `CAPTURE_EXCEEDS_HOLD`, `PACKAGE_NOT_FOUND`. */
export class UnprocessableEntityError extends CreditsAPIError {
  static {
    this.prototype.name = 'UnprocessableEntityError';
  }
  override readonly type: string = 'unprocessable_entity_error';
}

/**
 * 429: too many requests, still limited after all retries; or `TOO_MANY_STREAMS` (never retried:
 * close a live balance stream, or poll).
 */
export class RateLimitError extends CreditsAPIError {
  static {
    this.prototype.name = 'RateLimitError';
  }
  override readonly type: string = 'rate_limit_error';
  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  readonly retryAfter: number | undefined = retryAfterSeconds(this.headers);
}

/**
 * 5xx: the server failed. `INTERNAL_ERROR` and `PAYMENT_PROVIDER_ERROR` (and a gateway's bare
 * 502/503/504) are thrown after all retries; any other 5xx at once, unretried.
 */
export class InternalServerError extends CreditsAPIError {
  static {
    this.prototype.name = 'InternalServerError';
  }
  override readonly type: string = 'internal_server_error';
}

/**
 * 503: `SERVICE_UNAVAILABLE` (the server cannot reach its database; thrown after all retries, each
 * after `Retry-After`) or `PAYMENTS_NOT_CONFIGURED` (a configuration error, thrown at once). An
 * {@link InternalServerError}, so existing 5xx handling catches it.
 *
 * @example
 * catch (e) { if (e instanceof ServiceUnavailableError && e.code === 'SERVICE_UNAVAILABLE') retryLater(e.retryAfter ?? 5); }
 */
export class ServiceUnavailableError extends InternalServerError {
  static {
    this.prototype.name = 'ServiceUnavailableError';
  }
  override readonly type: string = 'service_unavailable_error';
  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  readonly retryAfter: number | undefined = retryAfterSeconds(this.headers);
}

/** The request never got an answer (DNS, refused connection, reset), after all retries. */
export class CreditsConnectionError extends CreditsError {
  static {
    this.prototype.name = 'CreditsConnectionError';
  }
  override readonly type: string = 'connection_error';
}

/** The request took longer than `timeoutMs`, after all retries. */
export class CreditsTimeoutError extends CreditsError {
  static {
    this.prototype.name = 'CreditsTimeoutError';
  }
  override readonly type: string = 'timeout_error';
}

/**
 * Whether `e` is a {@link CreditsError}; works across duplicated copies of this package.
 *
 * @example
 * if (isCreditsError(e)) console.log(e.type);
 */
export function isCreditsError(e: unknown): e is CreditsError {
  return e instanceof CreditsError || (typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true);
}

/**
 * Whether `e` is a 402 {@link InsufficientCreditsError}. Prefer this over `instanceof`, which fails
 * when two copies of the SDK end up in one app.
 *
 * @example
 * try { await client.consumptions.create('me', { amount: 5, feature: 'conversation' }); }
 * catch (e) { if (isInsufficientCreditsError(e)) openBuyCredits(e.required); else throw e; }
 */
export function isInsufficientCreditsError(e: unknown): e is InsufficientCreditsError {
  return e instanceof InsufficientCreditsError || (isCreditsError(e) && e.type === 'insufficient_credits_error');
}

/** `Retry-After` (delta seconds or an HTTP date) in milliseconds, or undefined. @internal */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const s = Number(value);
  if (Number.isFinite(s)) return s < 0 ? undefined : s * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}
