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
};

/**
 * Builds the typed error for a non-2xx response from its (possibly missing, HTML or malformed)
 * body. Never throws: a body that is not a problem document yields a synthesised problem.
 */
export function toAPIError(status: number, headers: Headers, bodyText: string, statusText = ''): CreditsAPIError {
  const [Cls, fallbackCode] = BY_STATUS[status] ?? (status >= 500 ? [InternalServerError, 'INTERNAL_ERROR'] : [CreditsAPIError, 'UNKNOWN']);
  let body: unknown;
  try {
    body = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    // not JSON (an HTML error page from a proxy, say): synthesise the problem below
  }
  const parsed = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const problem = {
    type: 'about:blank',
    title: statusText || `HTTP ${status}`,
    ...parsed,
    status,
    code: typeof parsed.code === 'string' ? parsed.code : fallbackCode,
  } as Problem;
  if (typeof problem.requestId !== 'string') problem.requestId = headers.get('x-request-id') ?? '';
  if (problem.detail === undefined && !parsed.code && bodyText) problem.detail = bodyText.slice(0, 200);
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
  let text = '';
  try {
    text = await response.text();
  } catch {
    // a body cut off mid-way still maps to the typed error of its status
  }
  return toAPIError(response.status, response.headers, text, response.statusText);
}
