import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { copyFixture } from './harness/entries.js';
import { describeRun, run } from './harness/processes.js';
import { repoRoot, report } from './harness/project.js';

/**
 * The packed `@aivah/credits-node` on an edge runtime: bundled as Vercel's or Wrangler's bundler does
 * and run in `@edge-runtime/vm`, which forbids `eval` and `new Function`. The scenario is the one
 * packages/node runs on the sources (packages/node/test/fixtures/edge/scenario.js).
 */
const { shared } = inject('projects');
const dir = join(shared, 'edge');
const scenario = join(repoRoot, 'packages/node/test/fixtures/edge/scenario.js');

beforeAll(() => {
  copyFixture('edge', dir);
});

describe('the packed main entry on an edge runtime', () => {
  it('bundles without Node built-ins and serves consume, 402, validation errors and a Stripe-signed purchase with eval forbidden', async () => {
    const result = await run(process.execPath, ['run-on-edge.mjs', scenario], { cwd: dir, timeoutMs: 120_000 });
    expect(result.code, describeRun('node run-on-edge.mjs', result)).toBe(0);
    const { bundleBytes, result: out } = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(out.errors).toEqual([]);
    expect(out.codeGeneration).toMatch(/^forbidden/);
    expect(out.consume).toMatchObject({ status: 201, body: { balance: { available: 70 } } });
    expect(out.insufficient).toMatchObject({ status: 402, body: { code: 'INSUFFICIENT_CREDITS', available: 70, required: 500 } });
    expect(out.invalid).toMatchObject({ status: 400, contentType: 'application/problem+json', body: { code: 'VALIDATION_FAILED', errors: [{ path: '/amount', message: 'must be >= 1' }] } });
    expect(out.invalidQuery).toMatchObject({ status: 400, body: { errors: [{ path: 'query/limit', message: 'must be integer' }] } });
    expect(out.webhook.status).toBe(200);
    expect(out.tamperedWebhook).toMatchObject({ status: 400, body: { code: 'WEBHOOK_SIGNATURE_INVALID' } });
    expect(out.balance).toMatchObject({ status: 200, body: { available: 2070, held: 0 } });
    expect(out.outbound).toEqual({ verified: 'balance.low', tampered: 'WebhookVerificationError' });
    report('edge', `main entry + /emulator bundled for the edge (minified): ${(bundleBytes / 1024).toFixed(1)} KiB`);
  });
});

