import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyFixture } from './harness/entries.js';
import { codeBlocks, flag, readGuide } from './harness/markdown.js';
import { requirePostgres } from './harness/postgres-gate.js';
import { dropSchema, randomSchemaName } from './harness/postgres.js';
import { describeRun, freePort, run, startService, waitFor, type Service } from './harness/processes.js';
import { formatMs, report } from './harness/project.js';

/**
 * A Next.js 15 App Router app made of the blocks of docs/node.md's Next.js section (each names its
 * file with `file=next-app/<path>`), read from the guide at test time, plus the tsconfig.json that
 * create-next-app writes.
 */
const { shared } = inject('projects');
const dir = join(shared, 'next-app');
const next = join(shared, 'node_modules', 'next', 'dist', 'bin', 'next');
const secretKey = 'sk_integration_next';
let built = false;
let service: Service | undefined;
let cleanup: (() => Promise<void>) | undefined;

beforeAll(() => {
  copyFixture('next-app', dir);
  const files = codeBlocks(readGuide('node.md')).flatMap((block) => {
    const file = flag(block, 'file');
    return file?.startsWith('next-app/') ? [{ path: file.slice('next-app/'.length), code: block.code }] : [];
  });
  const paths = files.map((f) => f.path);
  for (const required of ['instrumentation.ts', 'app/api/credits/[...path]/route.ts', 'app/api/edge-credits/[...path]/route.ts', 'app/layout.tsx', 'app/page.tsx']) {
    expect(paths, `docs/node.md's Next.js section has no block for ${required}`).toContain(required);
  }
  for (const { path, code } of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), code);
  }
  report('Next.js', `app from docs/node.md: ${paths.join(', ')}`);
});

afterAll(async () => {
  await service?.stop();
  await cleanup?.();
});

async function api(base: string, path: string, init: { method?: string; body?: unknown; key?: string; auth?: boolean; prefix?: string } = {}) {
  const response = await fetch(`${base}${init.prefix ?? '/api/credits'}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.auth === false ? {} : { authorization: `Bearer ${secretKey}` }),
      'content-type': 'application/json',
      ...(init.key ? { 'idempotency-key': init.key } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text for the assertion message.
  }
  return { status: response.status, type: response.headers.get('content-type') ?? '', body };
}

describe('a Next.js 15 App Router app set up as docs/node.md says', () => {
  it('builds (type-checks, prerenders the page) without a database or any secret in the environment', async () => {
    const result = await run(process.execPath, [next, 'build'], {
      cwd: dir,
      env: { DATABASE_URL: undefined, DATABASE_SCHEMA: undefined, CREDITS_SECRET_KEY: undefined, PUBLIC_URL: undefined, TEST_DATABASE_URL: undefined },
      timeoutMs: 450_000,
    });
    expect(result.code, describeRun('next build', result)).toBe(0);
    built = true;
    const routes = result.stdout.split('\n').filter((line) => /^(Route \(app\)|[┌├└│]\s|\+ First Load JS)/.test(line));
    report('Next.js', `next build without secrets: ${formatMs(result.ms)}\n${routes.join('\n')}`);
  }, 480_000); // about a minute alone; far longer while turbo runs every other package's tests beside it

  it('starts with the migrations run by instrumentation.ts, serves the API as problem+json and the page', async (context) => {
    const databaseUrl = requirePostgres(context, 'Next.js start');
    if (!built) return context.skip('next build failed');
    const schema = randomSchemaName('next');
    cleanup = () => dropSchema(databaseUrl, schema);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const started = performance.now();
    service = startService(process.execPath, [next, 'start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: dir,
      env: { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, CREDITS_SECRET_KEY: secretKey, PUBLIC_URL: base },
    });
    // The first request is the test of the migrations: without them every route answers 500.
    await waitFor(
      async () => service!.child.exitCode !== null || (await fetch(`${base}/api/credits/v1/packages`, { headers: { authorization: `Bearer ${secretKey}` } })).status !== 0,
      90_000,
      () => `next start never answered:\n${service!.output()}`,
    );
    expect(service.child.exitCode, `next start exited:\n${service.output()}`).toBeNull();
    const packages = await api(base, '/v1/packages');
    expect(packages.status, `${JSON.stringify(packages.body)}\n${service.output()}`).toBe(200);
    report('Next.js', `next start answered the API ${formatMs(performance.now() - started)} after launch`);

    const account = 'acct_next';
    const granted = await api(base, `/v1/accounts/${account}/grants`, { method: 'POST', key: 'grant-1', body: { amount: 100, source: 'plan' } });
    expect(granted.status, JSON.stringify(granted.body)).toBeLessThan(300);
    const consumed = await api(base, `/v1/accounts/${account}/consumptions`, { method: 'POST', key: 'consume-1', body: { amount: 30, feature: 'conversation' } });
    expect(consumed.body).toMatchObject({ balance: { available: 70 } });
    const refused = await api(base, `/v1/accounts/${account}/consumptions`, { method: 'POST', key: 'consume-2', body: { amount: 1000, feature: 'media_generation' } });
    expect(refused.status).toBe(402);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'INSUFFICIENT_CREDITS', available: 70, required: 1000 });
    expect((await api(base, `/v1/accounts/${account}/balance`)).body).toMatchObject({ available: 70, held: 0 });

    // A browser without a session: the docs' identify answers a 401 problem, not Next's HTML error page.
    const anonymous = await api(base, '/v1/accounts/me/balance', { auth: false });
    expect(anonymous.status).toBe(401);
    expect(anonymous.type).toContain('application/problem+json');

    const page = await fetch(`${base}/`);
    const html = await page.text();
    expect(page.status, html.slice(0, 2000)).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    // The docs' page renders "Available Credits: …" on the server; the hooks take over in the browser.
    expect(html).toContain('Available Credits');
    report('Next.js', `API (grant, consume, 402, balance, 401 problem) and page served; ${formatMs(performance.now() - started)} from launch`);

    // The docs' edge route: the same handler in Next's edge sandbox, where eval and new Function throw.
    const edge = { prefix: '/api/edge-credits' };
    const edgeGrant = await api(base, '/v1/accounts/acct_edge/grants', { ...edge, method: 'POST', key: 'edge-grant-1', body: { amount: 50, source: 'promo' } });
    expect(edgeGrant.status, `${JSON.stringify(edgeGrant.body)}\n${service.output()}`).toBe(201);
    const edgeConsume = await api(base, '/v1/accounts/acct_edge/consumptions', { ...edge, method: 'POST', key: 'edge-consume-1', body: { amount: 20, feature: 'call' } });
    expect(edgeConsume.body).toMatchObject({ balance: { available: 30 } });
    const edgeInvalid = await api(base, '/v1/accounts/acct_edge/consumptions', { ...edge, method: 'POST', key: 'edge-consume-2', body: { amount: 'ten', feature: 'call' } });
    expect(edgeInvalid.status).toBe(400);
    expect(edgeInvalid.type).toContain('application/problem+json');
    expect(edgeInvalid.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: '/amount', message: 'must be integer' }] });
    report('Next.js', 'the edge route (runtime = "edge") granted, consumed and answered a validation problem');
  });
});
