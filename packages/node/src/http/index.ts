/**
 * The public surface of the HTTP server side.
 * @module
 */
export { createCreditsHandler, type CreditsHandler, type CreditsHandlerOptions } from './handler.js';
export type { PreparedResponse } from './pipeline.js';
export type { IncomingRequest, HeaderReader } from './incoming.js';
export {
  createServerKeyIdentify,
  SERVER_SCOPES,
  BROWSER_SCOPES,
  type Identity,
  type IdentifyFn,
  type ServerKeyIdentifyOptions,
  type BrowserSession,
} from './auth.js';
export { createTokenBucketRateLimit, type RateLimitFn, type RateLimitResult, type TokenBucketOptions } from './rate-limit.js';
export {
  createLedgerRateLimit,
  rateLimitFrom,
  type LedgerRateLimitOptions,
  type PointLimiter,
  type RateLimitFromOptions,
} from './rate-limit-shared.js';
export { HttpProblem, type ProblemCode, type FieldError } from './problem.js';
export type { Logger } from './context.js';
export { toNodeHandler, type FetchHandler } from './adapters/node.js';
export { toExpressMiddleware, type ExpressMiddlewareOptions, type ExpressLikeRequest } from './adapters/express.js';
export { toNextRouteHandlers } from './adapters/next.js';
