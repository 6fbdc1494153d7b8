/**
 * Everything the example server reads from the environment, with the documented defaults.
 * @module
 */
import { fileURLToPath } from 'node:url';

export interface ServerConfig {
  /** `PORT` (default 8787; `0` picks a free port, which the start line prints). */
  port: number;
  /** `HOST` to bind (default all interfaces). */
  host: string | undefined;
  /**
   * `PUBLIC_URL`: where browsers reach this server; Stripe returns them there. Unset (local
   * development): `http://localhost:<port>`, and a browser that came through this server's own
   * loopback address (`127.0.0.1:<port>`, `[::1]:<port>`) returns to that address, where its
   * session cookie lives. No other Host header is ever used for a redirect. Set it in production.
   */
  publicUrl: string | undefined;
  /** `DATABASE_URL`: Postgres. Absent: embedded PGlite in `dataDir`. `memory` keeps everything in memory. */
  databaseUrl: string | undefined;
  /** `DATABASE_SCHEMA`: the Postgres schema of the ledger tables (default `aivah_credits`). */
  databaseSchema: string | undefined;
  /** `DATABASE_APPLICATION_NAME`: `application_name` of its Postgres connections (default `aivah-credits`). */
  databaseApplicationName: string | undefined;
  /** `DATA_DIR`: the PGlite directory (default `examples/server/.data`). */
  dataDir: string;
  /** `CREDITS_SECRET_KEY`: the server key (default `sk_local_dev`). */
  secretKey: string;
  /** `STRIPE_SECRET_KEY`: real Stripe (test mode). Absent: the offline checkout emulator. */
  stripeSecretKey: string | undefined;
  /** `STRIPE_WEBHOOK_SECRET`: the signing secret of `/v1/webhooks/stripe` (default `whsec_local_dev`). */
  stripeWebhookSecret: string;
  /** `WEBHOOK_URL` + `WEBHOOK_SECRET`: where outbound webhooks (`credits.purchased`, …) go. */
  webhook: { url: string; secret: string } | undefined;
  /** `WEB_DIST`: the built web app (default `examples/web/dist`). */
  webDist: string;
  /** `NODE_ENV=production` turns off the test-only endpoints. */
  production: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 8787 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  if (env.WEBHOOK_URL && !env.WEBHOOK_SECRET) throw new Error('WEBHOOK_URL needs WEBHOOK_SECRET (the signing secret of your endpoint).');
  return {
    port,
    host: env.HOST || undefined,
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, '') || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    databaseApplicationName: env.DATABASE_APPLICATION_NAME || undefined,
    dataDir: env.DATA_DIR || fileURLToPath(new URL('../.data', import.meta.url)),
    secretKey: env.CREDITS_SECRET_KEY || 'sk_local_dev',
    stripeSecretKey: env.STRIPE_SECRET_KEY || undefined,
    stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET || 'whsec_local_dev',
    webhook: env.WEBHOOK_URL ? { url: env.WEBHOOK_URL, secret: env.WEBHOOK_SECRET! } : undefined,
    webDist: env.WEB_DIST || fileURLToPath(new URL('../../web/dist', import.meta.url)),
    production: env.NODE_ENV === 'production',
  };
}
