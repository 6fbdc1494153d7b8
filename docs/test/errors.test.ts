import { readFileSync } from 'node:fs';
import * as sdk from '@aivah/credits';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { codeUsage, errorsPath, readSpec, renderErrors, sdkErrorClass } from '../scripts/generate-errors.mjs';

describe('docs/errors.md', () => {
  it('is exactly what scripts/generate-errors.mjs makes of spec/openapi.yaml (run `pnpm --filter @aivah/docs errors` after a spec change)', () => {
    expect(readFileSync(errorsPath, 'utf8')).toBe(renderErrors(readSpec()));
  });

  it('documents every problem code of the spec, each under its own heading', () => {
    const doc = readFileSync(errorsPath, 'utf8');
    const codes: string[] = parse(readSpec()).components.schemas.ErrorCode.enum;
    expect(codes.length).toBeGreaterThan(10);
    for (const code of codes) expect(doc).toContain(`### ${code}\n`);
  });

  it('finds where each code is answered by reading the operations, e.g. INSUFFICIENT_CREDITS from consumeCredits and createHold', () => {
    const usage = codeUsage(parse(readSpec()));
    const ops = usage.get('INSUFFICIENT_CREDITS')!.map((u: { operationId: string; status: number }) => `${u.status} ${u.operationId}`);
    expect(ops).toEqual(['402 consumeCredits', '402 createHold']);
  });

  it('names the SDK error class @aivah/credits throws for each status', async () => {
    for (const status of [400, 401, 402, 403, 404, 405, 409, 413, 415, 422, 429, 500, 502, 503, 504]) {
      const name = sdkErrorClass(status);
      expect(sdk, `${status} → ${name}`).toHaveProperty(name);
      const thrown = await sdk.errorFromResponse(new Response(null, { status }));
      expect(thrown.constructor, `${status} → ${name}`).toBe((sdk as Record<string, unknown>)[name]);
    }
  });
});
