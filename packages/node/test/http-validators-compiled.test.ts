/**
 * The validators generated at `pnpm generate` time (Ajv standalone code, helpers bundled in) answer
 * exactly as Ajv compiling the same schemas at run time, as the handler used to: same verdict, same
 * errors (path, keyword, params, message), same coercion of query strings. Random inputs per
 * operation and location, from valid bodies mutated field by field to arbitrary JSON.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileAtRunTime } from '../scripts/generate-validators.js';
import { operationValidators } from '../src/generated/validators.js';
import { VALID_BODIES } from './http-helpers.js';

const yamlText = readFileSync(new URL('../../../spec/openapi.yaml', import.meta.url), 'utf8');
const reference = compileAtRunTime(yamlText);
const operations = Object.keys(reference).sort();

type Validator = ((data: unknown) => boolean) & { errors?: unknown };

/** Verdict, errors and the input after validation (coercion changes it in place). */
function outcome(validate: Validator, input: unknown) {
  const copy = structuredClone(input);
  const valid = validate(copy);
  return { valid, errors: valid ? null : structuredClone(validate.errors), after: copy };
}

const anyJson = fc.jsonValue({ maxDepth: 3 });
/** A valid body, one field set to any JSON, one field left out, or any JSON at all. */
const tweaked = (base: Record<string, unknown>) =>
  fc.oneof(
    anyJson,
    fc.record({ key: fc.constantFrom(...Object.keys(base), 'extra', 'amount', 'feature', 'metadata'), value: anyJson }).map(({ key, value }) => ({ ...base, [key]: value })),
    fc.constantFrom('', ...Object.keys(base)).map((key) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key))),
  );
/** Query strings and headers are text (or absent); path parameters are text. */
const textual = fc.dictionary(
  fc.constantFrom('limit', 'cursor', 'type', 'from', 'to', 'days', 'Idempotency-Key', 'accountId', 'holdId', 'sessionId', 'other'),
  fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom('10', '0', '-1', '1.5', '1e3', 'me', 'acct_1', '2026-01-01', 'true')),
);

describe('the generated request validators', () => {
  it('cover exactly the operations of the spec', () => {
    expect(Object.keys(operationValidators).sort()).toEqual(operations);
  });

  it.each(operations)('%s: same verdicts, errors and coercions as Ajv at run time', (operationId) => {
    const generated = operationValidators[operationId]!;
    const expected = reference[operationId]!;
    fc.assert(
      fc.property(textual, (params) => {
        for (const where of ['path', 'query', 'header'] as const) {
          expect(outcome(generated[where], params)).toEqual(outcome(expected[where]!, params));
        }
      }),
      { numRuns: 150 },
    );
    if (!generated.body) return expect(expected.body).toBeNull();
    const base = VALID_BODIES[operationId] ?? {};
    expect(outcome(generated.body, base)).toEqual(outcome(expected.body!, base));
    fc.assert(
      fc.property(tweaked(base), (body) => {
        expect(outcome(generated.body!, body)).toEqual(outcome(expected.body!, body));
      }),
      { numRuns: 300 },
    );
  });
});
