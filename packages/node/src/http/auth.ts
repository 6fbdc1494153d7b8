/**
 * Identities, scopes and the server-key helper.
 * @module
 */
import { HttpProblem } from './problem.js';
import type { HeaderReader } from './incoming.js';

/** Who is calling, as returned by the `identify` hook. */
export interface Identity {
  /** The caller's own account (`me`); `null` for a server key that acts for any account. */
  accountId: string | null;
  /** What the caller may do: `credits:read`, `credits:consume`, `credits:grant`, `credits:purchase`. */
  scopes: string[];
  /**
   * `server` may act for any account; `browser` only for its own (others answer 404, as if they
   * did not exist). Defaults to `browser`, the safe choice for an identity of unknown origin.
   */
  kind?: 'server' | 'browser';
}

/**
 * Resolves the caller of a request; `null` means unauthenticated (401).
 *
 * It may also carry `fromHeaders`: the same decision from the headers alone, with the `Request`
 * built only if it asks for it. The handler then calls `fromHeaders` instead of the function, and
 * a server adapter (`toNodeHandler`, `toExpressMiddleware`) need not build a `Request` per call,
 * which in Node costs about as much as the rest of a balance read. Both forms must decide alike.
 * {@link createServerKeyIdentify} provides it.
 */
export type IdentifyFn = ((request: Request) => Promise<Identity | null> | Identity | null) & {
  /** The same decision from the headers; `request()` builds the `Request` if it is needed after all. */
  fromHeaders?: (headers: HeaderReader, request: () => Request) => Promise<Identity | null> | Identity | null;
};

/** The scopes of a server key. */
export const SERVER_SCOPES = ['credits:read', 'credits:consume', 'credits:grant', 'credits:purchase'] as const;
/** The scopes of a browser identity. */
export const BROWSER_SCOPES = ['credits:read', 'credits:purchase'] as const;

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqualString(a: string, b: string): boolean {
  // UTF-16 code units compared directly: equal strings have equal units, and no bytes are copied.
  // Loop over the longer one so the length difference does not shorten the work.
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (i < a.length ? a.charCodeAt(i) : 0) ^ (i < b.length ? b.charCodeAt(i) : 0);
  return diff === 0;
}

/** A signed-in browser user, as your `browser` hook resolves it. */
export interface BrowserSession {
  /** The user's own credits account. */
  accountId: string;
}

/** Options of {@link createServerKeyIdentify}. */
export interface ServerKeyIdentifyOptions {
  /** The server key accepted as `Authorization: Bearer <secretKey>`. */
  secretKey: string;
  /** Resolves browser callers (e.g. from a session cookie) to their own account. */
  browser?: (request: Request) => Promise<BrowserSession | null> | BrowserSession | null;
}

/**
 * An `identify` hook accepting one server key (all server scopes, any account) and, optionally,
 * browser sessions resolved by your own code (own account, browser scopes).
 *
 * @example
 * const identify = createServerKeyIdentify({
 *   secretKey: process.env.CREDITS_SECRET_KEY!,
 *   browser: async (req) => { const user = await getSession(req); return user ? { accountId: user.id } : null; },
 * });
 */
export function createServerKeyIdentify(options: ServerKeyIdentifyOptions): IdentifyFn {
  // No throw here for a missing key: frameworks evaluate route modules at build time, without the
  // production secrets. The first request that needs the key is told instead.
  const fromHeaders = async (headers: HeaderReader, request: () => Request): Promise<Identity | null> => {
    const header = headers.get('authorization');
    const bearer = header && /^bearer\s/i.test(header) ? header.slice(7).trim() : null;
    if (bearer !== null && options.secretKey && timingSafeEqualString(bearer, options.secretKey)) {
      return { accountId: null, scopes: [...SERVER_SCOPES], kind: 'server' };
    }
    // Credentials that are present but wrong are a 401, whatever else comes with them: the browser
    // hook sees the request without its cookies, so a session token it checks itself still works,
    // while a stale or forged key next to a valid session cookie never falls back to that session.
    const browser = options.browser ? await options.browser(header ? withoutCookies(request()) : request()) : null;
    if (browser) return { accountId: browser.accountId, scopes: [...BROWSER_SCOPES], kind: 'browser' };
    if (bearer !== null && !options.secretKey) {
      throw new HttpProblem('INTERNAL_ERROR', 'The server key is not configured: createServerKeyIdentify got an empty secretKey (set CREDITS_SECRET_KEY).');
    }
    return null;
  };
  const identify: IdentifyFn = (request) => fromHeaders(request.headers, () => request);
  identify.fromHeaders = fromHeaders;
  return identify;
}

/** A body-less copy of `request` without its `Cookie` header, for the browser hook. */
function withoutCookies(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.delete('cookie');
  return new Request(request.url, { method: request.method, headers });
}

/** Throws `403 FORBIDDEN` unless the identity holds every scope. */
export function requireScopes(identity: Identity, scopes: readonly string[]): void {
  const missing = scopes.filter((s) => !identity.scopes.includes(s));
  if (missing.length > 0) throw new HttpProblem('FORBIDDEN', `This operation needs the scope ${missing.join(', ')}.`);
}

/**
 * Resolves the `{accountId}` path parameter. `me` is the identity's own account; a server key
 * without one must name the account (400). A browser identity naming another account gets the
 * same 404 as a nonexistent account, so account ids cannot be probed.
 */
export function resolveAccount(identity: Identity, requested: string): string {
  if (requested === 'me') {
    if (!identity.accountId) {
      throw new HttpProblem('VALIDATION_FAILED', 'This identity has no own account: name the account instead of `me`.', {
        errors: [{ path: 'path/accountId', message: 'me is not available for this identity' }],
      });
    }
    return identity.accountId;
  }
  if ((identity.kind ?? 'browser') === 'server' || requested === identity.accountId) return requested;
  throw new HttpProblem('ACCOUNT_NOT_FOUND', `No account ${requested}.`);
}
