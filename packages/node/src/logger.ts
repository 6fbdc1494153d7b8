/**
 * The logger every part writes to.
 * @module
 */

/** Where the handler logs. `console` fits. */
export interface Logger {
  /** Normal events (a purchase reversed, a checkout expired). */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Something odd that needs no action now (a refund for a purchase never credited). */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Failures: unexpected errors (with the request id), Stripe errors, failing webhooks. */
  error(message: string, fields?: Record<string, unknown>): void;
}
