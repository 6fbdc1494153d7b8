/**
 * `toExpressMiddleware`: mount the handler in Express (or Connect, Polka, Fastify's middie).
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CreditsHandler } from '../handler.js';
import { serveNodeRequest, type FetchHandler } from './node.js';

/** The request shape of Express-like frameworks (only what the wrapper reads). */
export interface ExpressLikeRequest extends IncomingMessage {
  /** The body, when a body parser ran before this middleware. */
  body?: unknown;
}

/** Options of {@link toExpressMiddleware}. */
export interface ExpressMiddlewareOptions {
  /** Stripped from `req.url` before routing, when the app does not mount the middleware itself. */
  basePath?: string;
}

/**
 * Express-compatible `(req, res, next)` middleware. Requests outside `/v1/` go to `next()`.
 * Mount it before any JSON body parser (Stripe webhooks are verified on the raw body); if a
 * parser already consumed the body, the parsed body is re-serialised, which works for the API
 * but not for the signed webhook.
 *
 * @example
 * app.use('/api/credits', toExpressMiddleware(handler));
 */
export function toExpressMiddleware(handler: FetchHandler | CreditsHandler, options: ExpressMiddlewareOptions = {}) {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  return (req: ExpressLikeRequest, res: ServerResponse, next: (error?: unknown) => void): void => {
    let path = req.url ?? '/';
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`) && !path.startsWith(`${basePath}?`)) return next();
      path = path.slice(basePath.length) || '/';
    }
    if (!path.startsWith('/v1/')) return next();
    const consumed = req.readableEnded || req.body !== undefined;
    let body: Uint8Array | null | undefined;
    if (consumed) {
      const parsed = req.body;
      body =
        parsed === undefined || parsed === null
          ? null
          : parsed instanceof Uint8Array
            ? parsed
            : new TextEncoder().encode(typeof parsed === 'string' ? parsed : JSON.stringify(parsed));
    }
    serveNodeRequest(handler, req, res, path, body, next);
  };
}
