import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  CreditsAPIError,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from '../errors.js';
import type { ProblemDetails as Problem } from '../errors.js';
type APIErrorClass = new (status: number, problem: Problem, headers: Headers, message?: string) => CreditsAPIError;

const BY_STATUS: Record<number, [APIErrorClass, string]> = {
  400: [BadRequestError, 'UNKNOWN'],
  401: [AuthenticationError, 'UNAUTHENTICATED'],
  402: [InsufficientCreditsError, 'INSUFFICIENT_CREDITS'],
  403: [PermissionDeniedError, 'FORBIDDEN'],
  404: [NotFoundError, 'NOT_FOUND'],
  409: [ConflictError, 'UNKNOWN'],
  422: [UnprocessableEntityError, 'UNKNOWN'],
  429: [RateLimitError, 'RATE_LIMITED'],
  503: [ServiceUnavailableError, 'SERVICE_UNAVAILABLE'],
};

/** A body as a JSON object, or `undefined` when it is not one (HTML from a proxy, empty, cut off). */
export function parseJsonObject(bodyText: string): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // Not JSON (an empty body throws too).
  }
  return undefined;
}

/** The body as text; a body that cannot be read (cut off mid-way) counts as empty. */
export async function readText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return '';
  }
}

/**
 * Builds the typed error for a non-2xx response from its (possibly missing, HTML or malformed)
 * body. Never throws: a body that is not a problem document yields a synthesised problem.
 * `parsed` saves a second parse when the caller already has {@link parseJsonObject}'s result.
 */
export function toAPIError(
  status: number,
  headers: Headers,
  bodyText: string,
  statusText = '',
  parsed: Record<string, unknown> | undefined = parseJsonObject(bodyText),
): CreditsAPIError {
  const [Cls, fallbackCode] = BY_STATUS[status] ?? (status >= 500 ? [InternalServerError, 'INTERNAL_ERROR'] : [CreditsAPIError, 'UNKNOWN']);
  const fields = parsed ?? {};
  const problem = {
    type: 'about:blank',
    title: statusText || `HTTP ${status}`,
    ...fields,
    status,
    code: typeof fields.code === 'string' ? fields.code : fallbackCode,
  } as Problem;
  if (typeof problem.requestId !== 'string') problem.requestId = headers.get('x-request-id') ?? '';
  if (problem.detail === undefined && !fields.code && bodyText) problem.detail = bodyText.slice(0, 200);
  return new Cls(status, problem, headers);
}

/**
 * Turns a failed `Response` into the SDK's typed error, exactly as the client does. Use it for your
 * own backend endpoints that pass a credits problem through (for example a chat endpoint whose server
 * consumes credits and answers `402 INSUFFICIENT_CREDITS`), so the UI treats both alike. A body that
 * cannot be read counts as empty.
 *
 * @example
 * const response = await fetch('/api/chat', { method: 'POST', body });
 * if (!response.ok) throw await errorFromResponse(response); // InsufficientCreditsError on 402
 */
export async function errorFromResponse(response: Response): Promise<CreditsAPIError> {
  return toAPIError(response.status, response.headers, await readText(response), response.statusText);
}
