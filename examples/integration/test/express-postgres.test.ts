import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { copyFixture } from './harness/entries.js';
import { requirePostgres } from './harness/postgres-gate.js';
import { dropSchema, randomSchemaName } from './harness/postgres.js';
import { startService, waitFor, type Service } from './harness/processes.js';
import { formatMs, report } from './harness/project.js';

const { shared } = inject('projects');
const secretKey = 'sk_integration_express';
let service: Service | undefined;
let cleanup: (() => Promise<void>) | undefined;

afterAll(async () => {
  await service?.stop();
  await cleanup?.();
});

async function api(base: string, path: string, init: { method?: string; body?: unknown; key?: string } = {}): Promise<{ status: number; type: string; body: any }> {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${secretKey}`,
      'content-type': 'application/json',
      ...(init.key ? { 'idempotency-key': init.key } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
}

describe('an Express app with the Postgres ledger and the checkout emulator', () => {
  it('migrates at start, and a package bought on the emulator’s checkout page raises the balance', async (context) => {
    const databaseUrl = requirePostgres(context, 'Express + Postgres');
    const schema = randomSchemaName('express');
    cleanup = () => dropSchema(databaseUrl, schema);
    const dir = copyFixture('express', join(shared, 'express'));

    const started = performance.now();
    service = startService(process.execPath, ['server.mjs'], {
      cwd: dir,
      env: { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, CREDITS_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: 'whsec_integration' },
    });
    let base = '';
    await waitFor(
      async () => {
        base = /listening (\S+)/.exec(service!.output())?.[1] ?? '';
        return base !== '' || service!.child.exitCode !== null;
      },
      60_000,
      () => `the Express app never printed its URL:\n${service!.output()}`,
    );
    expect(base, `the Express app exited:\n${service.output()}`).not.toBe('');
    report('Express + Postgres', `started with migrations in ${formatMs(performance.now() - started)}`);

    const account = 'acct_express';
    expect((await api(base, `/v1/accounts/${account}/grants`, { method: 'POST', key: 'grant-1', body: { amount: 100, source: 'plan' } })).status).toBeLessThan(300);

    const created = await api(base, `/v1/accounts/${account}/checkout-sessions`, { method: 'POST', key: 'checkout-1', body: { packageId: 'credits_2000' } });
    expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
    const session = created.body as { id: string; url: string };
    expect(session.url.startsWith(`${base}/emulator/checkout/`), session.url).toBe(true);

    // The browser opens the checkout page and presses Pay: the form posts, the emulator sends the
    // signed webhook to the app, and the browser is sent back to /payment.
    const page = await fetch(session.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    const action = /<form method="post" action="([^"]+\/pay)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    expect(action, `no Pay form on the checkout page:\n${html}`).toBeDefined();
    const paid = await fetch(action!, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`${base}/payment?state=success&session_id=${session.id}`);

    const after = await api(base, `/v1/accounts/${account}/checkout-sessions/${session.id}`);
    expect(after.body).toMatchObject({ id: session.id, fulfilled: true });
    const balance = await api(base, `/v1/accounts/${account}/balance`);
    expect(balance.body).toMatchObject({ available: 2100, held: 0 });

    const tooMuch = await api(base, `/v1/accounts/${account}/consumptions`, { method: 'POST', key: 'consume-1', body: { amount: 5000, feature: 'media_generation' } });
    expect(tooMuch.status).toBe(402);
    expect(tooMuch.type).toContain('application/problem+json');
    expect(tooMuch.body).toMatchObject({ code: 'INSUFFICIENT_CREDITS', available: 2100, required: 5000 });
    report('Express + Postgres', `checkout on the emulator page, signed webhook over HTTP, balance 100 → 2100, then a 402 (${formatMs(performance.now() - started)} in all)`);
  });
});
