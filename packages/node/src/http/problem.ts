/**
 * RFC 9457 problem responses. Every error the handler answers goes through {@link HttpProblem},
 * so the `code` → status mapping lives in exactly one table.
 * @module
 */
import type { components } from '@aivah/credits';
import { isLedgerError } from '../ledger/errors.js';

/** The spec's `ErrorCode` values: a code added to or removed from the spec fails to compile here. */
export type ProblemCode = components['schemas']['ErrorCode'];

const TABLE: Record<ProblemCode, [status: number, title: string]> = {
  VALIDATION_FAILED: [400, 'Validation failed'],
  MALFORMED_JSON: [400, 'Malformed JSON'],
  UNAUTHENTICATED: [401, 'Unauthenticated'],
  INSUFFICIENT_CREDITS: [402, 'Insufficient credits'],
  FORBIDDEN: [403, 'Forbidden'],
  NOT_FOUND: [404, 'Not found'],
  ACCOUNT_NOT_FOUND: [404, 'Account not found'],
  HOLD_NOT_FOUND: [404, 'Hold not found'],
  CHECKOUT_SESSION_NOT_FOUND: [404, 'Checkout session not found'],
  METHOD_NOT_ALLOWED: [405, 'Method not allowed'],
  IDEMPOTENCY_KEY_IN_USE: [409, 'Idempotency key in use'],
  HOLD_NOT_ACTIVE: [409, 'Hold not active'],
  PAYLOAD_TOO_LARGE: [413, 'Payload too large'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'Unsupported media type'],
  IDEMPOTENCY_KEY_REUSED: [422, 'Idempotency key reused'],
  CAPTURE_EXCEEDS_HOLD: [422, 'Capture exceeds hold'],
  PACKAGE_NOT_FOUND: [422, 'Package not found'],
  RATE_LIMITED: [429, 'Too many requests'],
  WEBHOOK_SIGNATURE_INVALID: [400, 'Webhook signature invalid'],
  INTERNAL_ERROR: [500, 'Internal error'],
  PAYMENT_PROVIDER_ERROR: [502, 'Payment provider error'],
  PAYMENTS_NOT_CONFIGURED: [503, 'Payments not configured'],
  SERVICE_UNAVAILABLE: [503, 'Service unavailable'],
  IDEMPOTENCY_KEY_MISSING: [400, 'Idempotency key missing'],
  TOO_MANY_STREAMS: [429, 'Too many streams'],
  PLAN_NOT_FOUND: [422, 'Plan not found'],
  PLAN_UNCHANGED: [422, 'Plan unchanged'],
  PAYMENT_METHOD_NOT_FOUND: [404, 'Payment method not found'],
  PAYMENT_METHOD_REQUIRED: [409, 'Payment method required'],
  PAYMENT_NOT_FOUND: [404, 'Payment not found'],
};

/** One field-level validation error. */
export interface FieldError {
  /** JSON pointer into the request, e.g. `/amount` or `query/limit`. */
  path: string;
  /** What is wrong with it. */
  message: string;
}

/** An expected failure that becomes a problem response. Thrown anywhere inside an operation. */
export class HttpProblem extends Error {
  /** Always `HttpProblem`. */
  override readonly name = 'HttpProblem';
  /** The HTTP status of the code. */
  readonly status: number;
  constructor(
    /** The spec's problem code. */
    readonly code: ProblemCode,
    /** What went wrong and how to fix it, for people. */
    readonly detail: string,
    /** Extra members, e.g. `available`/`required` or `errors`. */
    readonly extra: Record<string, unknown> = {},
    /** Extra response headers, e.g. `Allow` or `Retry-After`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.status = TABLE[code][0];
  }
}

/** Converts any thrown value into an {@link HttpProblem}; unknown errors become `null` (→ 500). */
export function toProblem(error: unknown): HttpProblem | null {
  if (error instanceof HttpProblem) return error;
  if (isLedgerError(error)) {
    // A ledger code the spec does not know (PURCHASE_NOT_FOUND is internal to Stripe reversals) is
    // a bug if it ever reaches a client: an internal error, not an undocumented code.
    if (!(error.code in TABLE)) return null;
    const code = error.code as ProblemCode;
    // Both can succeed on a retry with the same key: say when (the SDK honours Retry-After).
    const headers: Record<string, string> = code === 'IDEMPOTENCY_KEY_IN_USE' || code === 'SERVICE_UNAVAILABLE' ? { 'Retry-After': '1' } : {};
    const extra: Record<string, unknown> = {};
    // Only whitelisted members travel to the client; adapters may put internals in `details`.
    for (const key of ['available', 'required', 'field'] as const) {
      if (error.details[key] !== undefined) extra[key] = error.details[key];
    }
    if (code === 'VALIDATION_FAILED' && typeof error.details.field === 'string') {
      extra.errors = [{ path: `/${error.details.field}`, message: error.message }];
    }
    return new HttpProblem(code, error.message, extra, headers);
  }
  return null;
}

/** Renders a problem as an `application/problem+json` response. */
export function problemResponse(problem: HttpProblem, requestId: string, instance: string): Response {
  const { body, headers } = problemBody(problem, requestId, instance);
  return new Response(body, { status: problem.status, headers });
}

/** The body and headers of a problem response. */
export function problemBody(problem: HttpProblem, requestId: string, instance: string): { body: string; headers: Record<string, string> } {
  const [status, title] = TABLE[problem.code];
  const body = {
    type: `https://docs.aivah.dev/errors/${problem.code.toLowerCase()}`,
    title,
    status,
    detail: problem.detail,
    instance,
    code: problem.code,
    requestId,
    ...problem.extra,
  };
  return {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/problem+json', 'x-request-id': requestId, ...problem.headers },
  };
}
