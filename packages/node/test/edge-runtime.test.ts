/**
 * The main entry (and /emulator) on an edge runtime: bundled for a platform without Node built-ins
 * (a `node:` import fails the bundle, as it fails a Vercel Edge or Workers build), then run in
 * `@edge-runtime/vm`, which forbids `eval` and `new Function` as Vercel Edge does. The scenario
 * (test/fixtures/edge/scenario.js) is shared with the integration test, which runs it on the tarball.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const scenario = readFileSync(new URL('fixtures/edge/scenario.js', import.meta.url), 'utf8');

/** Runs `bundle` then the scenario in a fresh edge VM with code generation from strings disabled. */
async function runOnEdge(bundle: string): Promise<any> {
  const vm = new EdgeVM();
  vm.evaluate(bundle);
  return vm.evaluate(scenario);
}

let bundle: string;

beforeAll(async () => {
  const result = await build({
    stdin: {
      contents: "export * from './src/index.ts'; export * as emulator from './src/emulator.ts';",
      resolveDir: packageDir,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'AivahCredits',
    platform: 'browser',
    conditions: ['source'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0]!.text;
});

describe('the handler on an edge runtime', () => {
  it('bundles without Node built-ins and contains no eval or new Function', () => {
    // Reaching here means esbuild resolved every import for the browser platform: a `node:` import fails the build.
    expect(bundle).not.toMatch(/\bnew Function\s*\(|\beval\s*\(/);
  });

  it('serves consume, balance, 402, problem+json validation errors and a Stripe-signed purchase inside the VM', async () => {
    const out = await runOnEdge(bundle);
    expect(out.errors).toEqual([]);
    expect(out.codeGeneration).toMatch(/^forbidden/);
    expect(out.hasProcess).toBe(false);
    expect(out.consume).toMatchObject({ status: 201, body: { balance: { available: 70 } } });
    expect(out.insufficient).toMatchObject({ status: 402, body: { code: 'INSUFFICIENT_CREDITS', available: 70, required: 500 } });
    expect(out.invalid).toMatchObject({
      status: 400,
      contentType: 'application/problem+json',
      body: { code: 'VALIDATION_FAILED', errors: [{ path: '/amount', message: 'must be >= 1' }] },
    });
    expect(out.invalidQuery).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', errors: [{ path: 'query/limit', message: 'must be integer' }] } });
    expect(out.ledgerPage.body.data).toHaveLength(1); // "1" in the query string coerced to the integer 1
    expect(out.webhook.status).toBe(200);
    expect(out.tamperedWebhook).toMatchObject({ status: 400, body: { code: 'WEBHOOK_SIGNATURE_INVALID' } });
    expect(out.balance).toMatchObject({ status: 200, body: { available: 2070, held: 0 } });
    expect(out.errors).toEqual([]);
  });

  it('signs and verifies outbound webhooks with Web Crypto inside the VM', async () => {
    const out = await runOnEdge(bundle);
    expect(out.outbound).toEqual({ verified: 'balance.low', tampered: 'WebhookVerificationError' });
  });
});
