/**
 * The demo sign-in: one demo user and an HMAC-signed session cookie. A real app has its own auth;
 * what matters is that the browser holds only an HttpOnly cookie, never a credits key, and that
 * `identify` turns the cookie into "this user's own account, browser scopes".
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface DemoUser {
  id: string;
  name: string;
  email: string;
  /** The credits account of this user. */
  accountId: string;
}

export const DEMO_USER: DemoUser = { id: 'user_demo', name: 'Demo User', email: 'demo@aivah.dev', accountId: 'demo' };
export const DEMO_PASSWORD = 'demo';

const COOKIE = 'aivah_session';
const MAX_AGE_SECONDS = 7 * 24 * 3600;

export interface Sessions {
  /** The signed-in user of a request, or null. */
  userOf(request: Request): DemoUser | null;
  /** Checks the demo credentials. */
  signIn(email: string, password: string): DemoUser | null;
  /** `Set-Cookie` values. */
  cookieFor(user: DemoUser): string;
  clearCookie(): string;
}

/** Sessions signed with a key derived from the server key, so a restart keeps people signed in. */
export function createSessions(options: { secretKey: string; secure: boolean }): Sessions {
  const key = createHmac('sha256', options.secretKey).update('aivah-example-session').digest();
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  const attributes = `Path=/; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;

  return {
    userOf(request) {
      const cookie = request.headers.get('cookie') ?? '';
      const value = cookie
        .split(';')
        .map((c) => c.trim())
        .find((c) => c.startsWith(`${COOKIE}=`))
        ?.slice(COOKIE.length + 1);
      if (!value) return null;
      const [payload, signature] = value.split('.');
      if (!payload || !signature) return null;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      try {
        const { uid, exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { uid: string; exp: number };
        if (exp < Date.now() / 1000 || uid !== DEMO_USER.id) return null;
        return DEMO_USER;
      } catch {
        return null;
      }
    },
    signIn(email, password) {
      const emailOk = email.trim().toLowerCase() === DEMO_USER.email;
      const passwordOk = timingSafeEqual(Buffer.from(password.padEnd(64).slice(0, 64)), Buffer.from(DEMO_PASSWORD.padEnd(64)));
      return emailOk && passwordOk && password.length <= 64 ? DEMO_USER : null;
    },
    cookieFor(user) {
      const payload = Buffer.from(JSON.stringify({ uid: user.id, exp: Math.floor(Date.now() / 1000) + MAX_AGE_SECONDS })).toString('base64url');
      return `${COOKIE}=${payload}.${sign(payload)}; Max-Age=${MAX_AGE_SECONDS}; ${attributes}`;
    },
    clearCookie() {
      return `${COOKIE}=; Max-Age=0; ${attributes}`;
    },
  };
}
