/**
 * `toNextRouteHandlers`: Next.js App Router route handlers.
 * @module
 */
import type { FetchHandler } from './node.js';

/**
 * The `GET`, `POST` and `PUT` exports of a catch-all route. Create the handler with the route's
 * prefix as `basePath`.
 *
 * @example
 * // app/api/credits/[...path]/route.ts
 * const handler = createCreditsHandler({ ..., basePath: '/api/credits' });
 * export const { GET, POST, PUT } = toNextRouteHandlers(handler);
 * export const dynamic = 'force-dynamic';
 */
export function toNextRouteHandlers(handler: FetchHandler): {
  /** The route's `GET` export. */
  GET: (request: Request) => Promise<Response>;
  /** The route's `POST` export. */
  POST: (request: Request) => Promise<Response>;
  /** The route's `PUT` export. */
  PUT: (request: Request) => Promise<Response>;
} {
  const route = (request: Request) => handler(request);
  return { GET: route, POST: route, PUT: route };
}
