/**
 * Starts the example server: `pnpm --filter @aivah/example-server start` (or `pnpm demo` at the
 * root, which builds everything first). See `config.ts` for the environment it reads.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@aivah/credits-node';
import { createApp, DEMO_PLAN_CREDITS } from './app.js';
import { readConfig } from './config.js';
import { DEMO_PASSWORD, DEMO_USER } from './session.js';

const config = readConfig();

// Listen first so `PORT=0` knows its port before the Stripe redirect URLs are built; requests that
// arrive before the app is ready wait for it.
let ready!: (app: Awaited<ReturnType<typeof createApp>>) => void;
const appPromise = new Promise<Awaited<ReturnType<typeof createApp>>>((resolve) => (ready = resolve));
const server = createServer(toNodeHandler(async (request) => (await appPromise).fetch(request)));
server.keepAliveTimeout = 65_000;
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(config.port, config.host, resolve);
});
const port = (server.address() as AddressInfo).port;
const host = !config.host || config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
const url = config.publicUrl ?? `http://${host}:${port}`;

let app: Awaited<ReturnType<typeof createApp>>;
try {
  app = await createApp(config, url);
} catch (error) {
  console.error('Could not start the example server:', error);
  server.close();
  process.exit(1);
}
ready(app);

console.log(`
  Aivah Credits example server ready: ${url}

  Web app        ${url}/            (sign in: ${DEMO_USER.email} / ${DEMO_PASSWORD})
  API            ${url}/v1          (Authorization: Bearer ${config.secretKey === 'sk_local_dev' ? 'sk_local_dev' : '<CREDITS_SECRET_KEY>'})
  Demo account   ${DEMO_USER.accountId} (starts with ${DEMO_PLAN_CREDITS.toLocaleString('en-US')} credits and two weeks of usage)
  Ledger         ${app.storage}
  Payments       ${app.payments === 'emulator' ? 'offline checkout emulator (no Stripe account needed)' : 'Stripe (STRIPE_SECRET_KEY)'}
  Webhooks       ${config.webhook ? `outbound to ${config.webhook.url}` : 'outbound off (set WEBHOOK_URL and WEBHOOK_SECRET)'}
`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping…`);
  const force = setTimeout(() => {
    console.error('Forced exit: connections did not close in time.');
    process.exit(1);
  }, 5_000);
  force.unref();
  // Open balance streams never end by themselves: close idle and streaming connections too.
  server.close();
  server.closeAllConnections();
  await app.close();
  clearTimeout(force);
  console.log('Stopped: server closed, ledger flushed.');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
