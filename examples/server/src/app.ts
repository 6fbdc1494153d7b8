/**
 * The example server as one fetch-standard app: the credits API under `/v1`, the checkout
 * emulator's pages under `/emulator`, the demo sign-in and agent under `/demo`, and the web app
 * for everything else. `main.ts` only reads the environment and listens.
 * @module
 */
import { createCreditsClient, type CreditsClient } from '@aivah/credits';
import {
  createAutoTopUpWorker,
  createCreditsHandler,
  createMemoryLedger,
  createServerKeyIdentify,
  createWebhookDispatcher,
  startPlanScheduler,
  startRetention,
  periodAt,
  type PlanScheduler,
  type CreditsHandler,
  type LedgerAdapter,
} from '@aivah/credits-node';
import { createCheckoutEmulator } from '@aivah/credits-node/emulator';
import { createPgliteLedger } from '@aivah/credits-node/pglite';
import { createPostgresLedger } from '@aivah/credits-node/postgres';
import { createStripeClient } from '@aivah/credits-node/stripe';
import type { ServerConfig } from './config.js';
import { createDemoAgent, PRICES } from './demo-agent.js';
import { createDemoClock } from './demo-clock.js';
import { createSessions, DEMO_USER } from './session.js';
import { createStaticHandler } from './static.js';

/** The plan credits the demo user starts with: the seed's "2,341 Credits". */
export const DEMO_PLAN_CREDITS = 2341;
/** What the demo user spent in the plan's first month; the 1,381 left rolled over. */
const DEMO_FIRST_MONTH_USAGE = 1619;

export interface App {
  fetch(request: Request): Promise<Response>;
  ledger: LedgerAdapter;
  /** A client with the server key that calls the API in-process. */
  credits: CreditsClient;
  /** Where the ledger lives, for the start banner. */
  storage: string;
  payments: 'stripe' | 'emulator';
  close(): Promise<void>;
}

function createLedger(config: ServerConfig, now: () => Date): { ledger: LedgerAdapter; storage: string } {
  // Without WEBHOOK_URL nothing delivers the outbox: a consume need not write its event there.
  const consumedEvents = config.webhook !== undefined;
  if (config.databaseUrl === 'memory') return { ledger: createMemoryLedger({ now, consumedEvents }), storage: 'in memory (lost on exit)' };
  if (config.databaseUrl) {
    const ledger = createPostgresLedger({
      connectionString: config.databaseUrl,
      schema: config.databaseSchema,
      applicationName: config.databaseApplicationName,
      now,
      consumedEvents,
    });
    return { ledger, storage: 'Postgres (DATABASE_URL)' };
  }
  return { ledger: createPgliteLedger({ dataDir: config.dataDir, now, consumedEvents }), storage: `embedded PGlite in ${config.dataDir}` };
}

const DAY_MS = 86_400_000;

/** `localhost:<port>`, `127.0.0.1:<port>` and `[::1]:<port>` for the port of `publicUrl`. */
export function loopbackHosts(publicUrl: string): string[] {
  const { port } = new URL(publicUrl);
  const suffix = port ? `:${port}` : '';
  return ['localhost', '127.0.0.1', '[::1]'].map((host) => `${host}${suffix}`);
}

/**
 * Two weeks of plausible usage, the same on every machine, so that Agent Analytics has a history to
 * chart and forecast from: a few conversations a day (5 credits each), an image now and then (100),
 * and calls (2 credits a minute). Returned oldest first, as days before today.
 */
export function demoHistory(): Array<{ daysAgo: number; feature: 'conversation' | 'media_generation' | 'call'; amount: number }> {
  let seed = 2341;
  const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647; // Park–Miller
  const out: ReturnType<typeof demoHistory> = [];
  for (let daysAgo = 14; daysAgo >= 1; daysAgo--) {
    const quiet = daysAgo % 7 === 2 || daysAgo % 7 === 3; // two quiet days a week
    const conversations = Math.round((quiet ? 6 : 14) + random() * 10);
    out.push({ daysAgo, feature: 'conversation', amount: conversations * 5 });
    if (random() < 0.4) out.push({ daysAgo, feature: 'media_generation', amount: 100 });
    if (!quiet) out.push({ daysAgo, feature: 'call', amount: 2 * Math.round(5 + random() * 20) });
  }
  return out;
}

/**
 * Gives the demo user a Starter plan (3,000 credits a month, up to 1,500 rolling over) and a
 * history, once. The account's existence is the guard (an account exists from its first grant),
 * and the idempotency keys and period keys cover two instances starting at once, so restarts never
 * add more. Time travels so that it all happened through the real API, in order: the plan started
 * a month and a half ago, 1,619 credits were used in its first month, the 1,381 left rolled over
 * at the renewal 15 days ago, and the two weeks of history spent those and 659 of this month's
 * 3,000, leaving the seed's 2,341 inside this month's allowance.
 */
async function seedDemoAccount(ledger: LedgerAdapter, credits: CreditsClient, scheduler: PlanScheduler, travel: (at: Date | null) => void): Promise<void> {
  if (await ledger.getBalance(DEMO_USER.accountId)) return;
  const history = demoHistory();
  const start = new Date();
  const today = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  const renewal = new Date(today - 15 * DAY_MS + 9 * 3_600_000);
  const anchor = periodAt(renewal, 'month', -1).start;
  try {
    travel(anchor);
    await credits.plans.change(DEMO_USER.accountId, { planId: 'starter' }, { idempotencyKey: 'example-server-demo-plan' });
    travel(new Date(anchor.getTime() + DAY_MS));
    await credits.consumptions.create(
      DEMO_USER.accountId,
      { amount: DEMO_FIRST_MONTH_USAGE, feature: 'conversation', description: 'Earlier usage (demo history)' },
      { idempotencyKey: 'example-server-demo-first-month' },
    );
    travel(periodAt(anchor, 'month', 1).start);
    await scheduler.runOnce(); // the renewal: 1,381 roll over, 3,000 new
    for (const [i, h] of history.entries()) {
      travel(new Date(today - h.daysAgo * DAY_MS + (10 + (i % 8)) * 3_600_000));
      await credits.consumptions.create(
        DEMO_USER.accountId,
        { amount: h.amount, feature: h.feature, description: 'Earlier usage (demo history)' },
        { idempotencyKey: `example-server-demo-history-${i}` },
      );
    }
  } finally {
    travel(null);
  }
}

export async function createApp(config: ServerConfig, publicUrl: string): Promise<App> {
  // The ledger's clock is the wall clock, except while the demo history is written in the past.
  let travelledTo: Date | null = null;
  // In offline emulator mode the demo can move the clock forward (`POST /demo/clock/advance`) to
  // see plans renew and credits expire; never with real Stripe, whose clock is its own.
  let offsetMs = 0;
  const now = () => travelledTo ?? new Date(Date.now() + offsetMs);
  const { ledger, storage } = createLedger(config, now);
  await ledger.migrate();

  const sessions = createSessions({ secretKey: config.secretKey, secure: publicUrl.startsWith('https:') });
  const identify = createServerKeyIdentify({
    secretKey: config.secretKey,
    // The browser identity: the signed-in user's own account, `credits:read credits:purchase`.
    browser: (request) => {
      const user = sessions.userOf(request);
      return user ? { accountId: user.accountId } : null;
    },
  });

  let handler: CreditsHandler;
  const emulator = config.stripeSecretKey
    ? null
    : createCheckoutEmulator({ webhookSecret: config.stripeWebhookSecret, publicUrl, deliver: (request) => handler(request), now });
  const stripe = emulator ?? createStripeClient(config.stripeSecretKey!);
  handler = createCreditsHandler({
    ledger,
    identify,
    stripe,
    webhooks: { stripeSecret: config.stripeWebhookSecret },
    // Stripe returns the browser to PUBLIC_URL when it is set. Unset (local development), to the
    // origin the browser used if that is this server's own loopback address (localhost or
    // 127.0.0.1 alike, where its session cookie lives), else to http://localhost:<port>. Any other
    // Host header is ignored: it must never pick where a genuine checkout page redirects.
    publicUrl,
    trustHost: config.publicUrl ? false : loopbackHosts(publicUrl),
    now,
  });

  // The server's own calls (seeding, the demo agent) go through the same API, in-process.
  const credits = createCreditsClient({
    baseUrl: publicUrl,
    apiKey: config.secretKey,
    fetch: (input, init) => handler(input instanceof Request ? input : new Request(input, init)),
  });
  // Grants the periods of plans the server renews (free plans, and plans the server key assigned
  // like the demo user's), and warns before credits expire, in every instance. Paid plans bought in
  // the browser renew through their Stripe (or emulated) subscription's invoices instead.
  const scheduler = startPlanScheduler({ ledger, now, runOnStart: false });
  await seedDemoAccount(ledger, credits, scheduler, (at) => void (travelledTo = at));
  void scheduler.runOnce().catch((error: unknown) => console.error('plan renewal:', error));

  const dispatcher = config.webhook
    ? createWebhookDispatcher({ ledger, url: config.webhook.url, secret: config.webhook.secret })
    : null;
  dispatcher?.start();
  // Keeps the idempotency and outbox tables to a week's worth of rows.
  const retention = startRetention({ ledger });
  // Charges the top-ups that consumes crossing the auto top-up threshold leave in the ledger. Every
  // instance may run one: claims keep two from charging the same top-up. Polled every second, and a
  // declined card is tried 3 times 5 s and 15 s apart (a real app waits minutes to hours), so the
  // demo shows a top-up land, or pause, while you watch.
  const topUps = createAutoTopUpWorker({ ledger, stripe, publicUrl, intervalMs: 1_000, maxAttempts: 3, retryDelaysMs: [5_000, 15_000], now });
  topUps.start();

  const demo = createDemoAgent({
    credits,
    sessions,
    config: { payments: emulator ? 'emulator' : 'stripe', webhooks: !!config.webhook, prices: PRICES },
  });
  const demoClock = createDemoClock({
    sessions,
    scheduler,
    clock: emulator ? { now, advance: (ms) => void (offsetMs += ms), renewSubscriptions: () => emulator.subscriptions.renewDue() } : null,
  });
  const web = createStaticHandler(config.webDist);

  async function fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/v1' || pathname.startsWith('/v1/')) return handler(request);
    if (emulator && pathname.startsWith('/emulator/')) return emulator.handler(request);
    // Liveness: the process answers. Readiness: it can also reach its database (a load balancer
    // sends no traffic while this is 503, and resumes by itself when the database is back).
    if (pathname === '/healthz') return new Response('ok');
    if (pathname === '/readyz') {
      return (await handler.ready())
        ? new Response('ready')
        : new Response('database unreachable', { status: 503, headers: { 'retry-after': '1' } });
    }
    const response = (await demoClock(request)) ?? (await demo(request)) ?? (await web(request));
    return response ?? new Response('Method not allowed', { status: 405 });
  }

  return {
    fetch,
    ledger,
    credits,
    storage,
    payments: emulator ? 'emulator' : 'stripe',
    async close() {
      await dispatcher?.stop();
      await retention.stop();
      await scheduler.stop();
      await topUps.stop();
      await ledger.close();
    },
  };
}
