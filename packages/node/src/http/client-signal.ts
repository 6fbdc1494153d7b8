/**
 * The "client went away" signal. The node adapters attach it to the Request under a registered
 * symbol instead of passing `signal` to the Request constructor, because in Node's fetch a signal
 * makes every Request build and link its own AbortController, which costs more than the rest of
 * the request bridge together. Other runtimes simply use `request.signal`.
 * @module
 */

/** The registered symbol under which an adapter attaches the disconnect signal. */
export const CLIENT_SIGNAL: unique symbol = Symbol.for('aivah.credits.clientSignal') as never;

/** The signal that aborts when the client disconnects. */
export function clientSignal(request: Request): AbortSignal {
  return (request as Request & { [CLIENT_SIGNAL]?: AbortSignal })[CLIENT_SIGNAL] ?? request.signal;
}
