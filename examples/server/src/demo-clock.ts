/**
 * The demo clock, beside the demo agent: `GET /demo/clock` and `POST /demo/clock/advance` move the
 * server's clock forward (offline emulator mode only), then let the emulator renew its
 * subscriptions (signed `invoice.paid` events) and run the renewal scheduler, so a renewal with
 * rollover, an expiry and a `grant.expiring` warning can be seen in minutes instead of a month.
 * @module
 */
import type { PlanScheduler } from '@aivah/credits-node';
import type { Sessions } from './session.js';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
const problem = (status: number, code: string, detail: string) =>
  new Response(JSON.stringify({ type: `https://docs.aivah.dev/errors/${code.toLowerCase()}`, title: code, status, code, detail, requestId: '' }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

/** Options of {@link createDemoClock}. */
export interface DemoClockOptions {
  sessions: Sessions;
  scheduler: PlanScheduler;
  /** Moves the server's clock and renews the emulator's subscriptions; `null` with real Stripe. */
  clock: { now: () => Date; advance: (ms: number) => void; renewSubscriptions: () => Promise<number> } | null;
}

const MAX_DAYS = 400;

/** The `/demo/clock` routes; `null` for any other path. */
export function createDemoClock({ sessions, scheduler, clock }: DemoClockOptions) {
  return async function handle(request: Request): Promise<Response | null> {
    const { pathname } = new URL(request.url);
    const route = `${request.method} ${pathname}`;
    if (route !== 'GET /demo/clock' && route !== 'POST /demo/clock/advance') return null;
    const user = sessions.userOf(request);
    if (!user) return problem(401, 'UNAUTHENTICATED', 'This needs a signed-in user.');
    if (route === 'GET /demo/clock') return json({ now: (clock?.now() ?? new Date()).toISOString(), canAdvance: clock !== null });
    // Requiring JSON also makes a cross-site form post impossible (it would need a CORS preflight).
    if (!(request.headers.get('content-type') ?? '').includes('application/json')) return problem(400, 'VALIDATION_FAILED', 'Send application/json.');
    let body: Record<string, unknown>;
    try {
      body = (await request.json()) as Record<string, unknown>;
    } catch {
      return problem(400, 'MALFORMED_JSON', 'The body is not JSON.');
    }
    if (!clock) return problem(404, 'NOT_FOUND', 'The clock only moves in offline emulator mode.');
    const days = Number(body.days);
    if (!Number.isFinite(days) || days <= 0 || days > MAX_DAYS) return problem(400, 'VALIDATION_FAILED', `days must be a number from 0 to ${MAX_DAYS}.`);
    clock.advance(Math.round(days * 86_400_000));
    const subscriptions = await clock.renewSubscriptions();
    const run = await scheduler.runOnce();
    return json({ now: clock.now().toISOString(), ...run, renewed: run.renewed + subscriptions });
  };
}
