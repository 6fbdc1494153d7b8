/**
 * The demo "agent": the endpoints the web app calls to chat, generate an image and hold a call.
 * They spend credits on the server, with the server key, as the signed-in user — the way a real
 * app would (the browser itself cannot consume: its scopes are `credits:read credits:purchase`).
 * A 402 is passed through as `application/problem+json`, so the UI shows the out-of-credits toast.
 * @module
 */
import { createHash } from 'node:crypto';
import { isCreditsError, type CreditsAPIError, type CreditsClient } from '@aivah/credits';
import type { Sessions, DemoUser } from './session.js';

/** What each action costs. */
export const PRICES = { message: 5, image: 100, callHold: 300, callPerSecond: 2 } as const;

const REPLIES = [
  'Happy to help! Could you tell me a little more about what you are trying to do?',
  'Good question. In short: every message uses a few credits, images and calls use more, and your balance updates live in the top right.',
  'Done. Anything else I can help you with today?',
  'I’ve noted that. If you expect a busy week, Insights → Agent Analytics forecasts how long your credits last.',
  'Sure — I can also generate an image or jump on a call if that is easier.',
];

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } });

const problem = (status: number, code: string, title: string, detail: string) =>
  new Response(JSON.stringify({ type: `https://docs.aivah.dev/errors/${code.toLowerCase()}`, title, status, code, detail, requestId: '' }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

/** A credits API error, passed through unchanged (402 keeps `available` and `required`). */
function fromCreditsError(error: unknown): Response {
  if (isCreditsError(error) && 'problem' in error) {
    const e = error as CreditsAPIError;
    return new Response(JSON.stringify(e.problem), { status: e.status, headers: { 'content-type': 'application/problem+json' } });
  }
  console.error('demo agent:', error);
  return problem(isCreditsError(error) ? 502 : 500, 'INTERNAL_ERROR', 'Internal error', 'The agent could not reach the credits API.');
}

async function readJson(request: Request): Promise<Record<string, unknown>> {
  // Requiring JSON also makes a cross-site form post impossible (it would need a CORS preflight).
  if (!(request.headers.get('content-type') ?? '').includes('application/json')) return Promise.reject(new TypeError('Send application/json.'));
  const text = await request.text();
  if (text.length > 16_384) return Promise.reject(new TypeError('Body too large.'));
  const body = text ? (JSON.parse(text) as unknown) : {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return Promise.reject(new TypeError('Send a JSON object.'));
  return body as Record<string, unknown>;
}

/** A colourful placeholder "generated" from the prompt (no model needed offline). */
function placeholderImage(prompt: string): string {
  const hash = createHash('sha256').update(prompt).digest();
  const hue = (i: number) => Math.round((hash[i]! / 255) * 360);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="520" height="360" viewBox="0 0 520 360">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue(0)},80%,62%)"/><stop offset="1" stop-color="hsl(${hue(1)},75%,45%)"/></linearGradient></defs>
<rect width="520" height="360" fill="url(#g)"/>
<circle cx="${120 + (hash[2]! % 280)}" cy="${90 + (hash[3]! % 160)}" r="${40 + (hash[4]! % 60)}" fill="hsla(${hue(5)},90%,85%,0.55)"/>
<circle cx="${80 + (hash[6]! % 360)}" cy="${110 + (hash[7]! % 150)}" r="${30 + (hash[8]! % 50)}" fill="hsla(${hue(9)},90%,30%,0.35)"/>
</svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/**
 * What the web app may know about how this server is set up, for screens that must be honest about
 * it (the API does not say whether outbound webhooks go anywhere). No secrets, no URLs.
 */
export interface DemoConfig {
  /** `stripe` with `STRIPE_SECRET_KEY`, else the offline checkout `emulator`. */
  payments: 'stripe' | 'emulator';
  /** Whether `WEBHOOK_URL` is set, so `balance.low` and the other outbound webhooks are sent. */
  webhooks: boolean;
  /** What each demo action costs, so the UI states the same prices the server charges. */
  prices: typeof PRICES;
}

interface ActiveCall {
  holdId: string;
  accountId: string;
  startedAt: number;
}

/**
 * Routes `/demo/*`. `credits` is a client with the server key; `sessions` tells who is signed in.
 * Returns null for paths it does not own.
 */
export function createDemoAgent(options: { credits: CreditsClient; sessions: Sessions; config: DemoConfig }) {
  const { credits, sessions, config } = options;
  const calls = new Map<string, ActiveCall>();
  let replyIndex = 0;

  async function authed(request: Request, run: (user: DemoUser) => Promise<Response>): Promise<Response> {
    const user = sessions.userOf(request);
    if (!user) return problem(401, 'UNAUTHENTICATED', 'Sign in first', 'This needs a signed-in user.');
    try {
      return await run(user);
    } catch (error) {
      if (error instanceof SyntaxError || error instanceof TypeError) return problem(400, 'VALIDATION_FAILED', 'Bad request', error.message);
      return fromCreditsError(error);
    }
  }

  return async function handle(request: Request): Promise<Response | null> {
    const { pathname } = new URL(request.url);
    if (!pathname.startsWith('/demo/')) return null;
    const route = `${request.method} ${pathname}`;

    if (route === 'GET /demo/config') return json(config);

    if (route === 'GET /demo/me') {
      const user = sessions.userOf(request);
      return json({ user: user && { id: user.id, name: user.name, email: user.email } });
    }
    if (route === 'POST /demo/sign-in') {
      return authedless(async () => {
        const body = await readJson(request);
        const user = sessions.signIn(String(body.email ?? ''), String(body.password ?? ''));
        if (!user) return problem(401, 'UNAUTHENTICATED', 'Wrong email or password', 'Use the demo credentials printed by the server.');
        return json({ user: { id: user.id, name: user.name, email: user.email } }, 200, { 'set-cookie': sessions.cookieFor(user) });
      });
    }
    if (route === 'POST /demo/sign-out') return json({ ok: true }, 200, { 'set-cookie': sessions.clearCookie() });

    if (route === 'POST /demo/chat') {
      return authed(request, async (user) => {
        const body = await readJson(request);
        const message = typeof body.message === 'string' ? body.message.trim() : '';
        if (!message || message.length > 4000) throw new TypeError('message must be 1–4000 characters.');
        const { balance } = await credits.consumptions.create(user.accountId, {
          amount: PRICES.message,
          feature: 'conversation',
          description: 'Chat message',
        });
        const reply = REPLIES[replyIndex++ % REPLIES.length]!;
        return json({ reply, cost: PRICES.message, available: balance.available });
      });
    }

    if (route === 'POST /demo/generate-image') {
      return authed(request, async (user) => {
        const body = await readJson(request);
        const prompt = (typeof body.prompt === 'string' ? body.prompt.trim() : '').slice(0, 500) || 'A friendly robot waving hello';
        const { balance } = await credits.consumptions.create(user.accountId, {
          amount: PRICES.image,
          feature: 'media_generation',
          description: 'Image generation',
        });
        return json({ image: placeholderImage(prompt), prompt, cost: PRICES.image, available: balance.available });
      });
    }

    if (route === 'POST /demo/calls') {
      return authed(request, async (user) => {
        const maxSeconds = PRICES.callHold / PRICES.callPerSecond;
        const hold = await credits.holds.create(user.accountId, {
          amount: PRICES.callHold,
          feature: 'call',
          ttlSeconds: maxSeconds + 60,
          description: 'Voice call',
          // A ledger entry does not carry how much a hold reserved (its amount, the change of
          // available + held, is 0); the credit ledger screen reads it from here.
          metadata: { heldAmount: String(PRICES.callHold) },
        });
        calls.set(hold.id, { holdId: hold.id, accountId: user.accountId, startedAt: Date.now() });
        return json({ callId: hold.id, held: hold.amount, ratePerSecond: PRICES.callPerSecond, maxSeconds }, 201);
      });
    }

    const end = /^POST \/demo\/calls\/([A-Za-z0-9_-]{1,64})\/end$/.exec(route);
    if (end) {
      return authed(request, async (user) => {
        const holdId = end[1]!;
        const call = calls.get(holdId);
        if (!call || call.accountId !== user.accountId) return problem(404, 'HOLD_NOT_FOUND', 'No such call', `No active call ${holdId}.`);
        const body = await readJson(request);
        // The client reports the duration; never charge for more than the time actually elapsed.
        const elapsed = Math.ceil((Date.now() - call.startedAt) / 1000);
        const reported = Number(body.durationSeconds);
        const seconds = Math.max(0, Math.min(Number.isFinite(reported) ? Math.ceil(reported) : elapsed, elapsed));
        const used = Math.min(PRICES.callHold, seconds * PRICES.callPerSecond);
        const hold =
          used > 0
            ? await credits.holds.capture(user.accountId, holdId, { amount: used, description: `Call, ${seconds}s` })
            : await credits.holds.release(user.accountId, holdId);
        calls.delete(holdId);
        return json({ callId: holdId, durationSeconds: seconds, captured: hold.captured, released: hold.amount - hold.captured });
      });
    }

    return problem(404, 'NOT_FOUND', 'Not found', `No demo endpoint ${route}.`);
  };
}

async function authedless(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    return problem(400, 'VALIDATION_FAILED', 'Bad request', (error as Error).message);
  }
}
