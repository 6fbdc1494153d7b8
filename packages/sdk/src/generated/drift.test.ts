import { readFile } from 'node:fs/promises';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { expect, it } from 'vitest';

const specUrl = new URL('../../../../spec/openapi.yaml', import.meta.url);
const generatedUrl = new URL('./openapi.ts', import.meta.url);

it('committed src/generated/openapi.ts matches spec/openapi.yaml (run `pnpm generate` to fix)', async () => {
  // Same call as `pnpm generate` (the CLI): header + printed AST. `defaultNonNullable: false` keeps
  // request fields with a server-side default (priority, ttlSeconds, …) optional for callers.
  const fresh = `${COMMENT_HEADER}${astToString(await openapiTS(specUrl, { silent: true, defaultNonNullable: false }))}`;
  const committed = await readFile(generatedUrl, 'utf8');
  expect(committed === fresh, 'src/generated/openapi.ts is stale: run `pnpm --filter @aivah/credits generate`').toBe(true);
}, 30_000);
