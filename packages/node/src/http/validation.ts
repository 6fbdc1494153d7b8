/**
 * Request validation against the spec (JSON Schema 2020-12, the dialect of OpenAPI 3.1). The
 * validators are Ajv's, compiled ahead of time by `pnpm generate` (scripts/generate-validators.ts)
 * into plain code: nothing is compiled at run time, so no `new Function`, which edge runtimes forbid.
 * @module
 */
import { operationValidators, type CompiledValidationError, type CompiledValidator } from '../generated/validators.js';
import type { FieldError } from './problem.js';
import type { Route } from './routes.js';

/** The validated inputs of one request. */
export interface ValidatedParams {
  path: Record<string, string>;
  query: Record<string, unknown>;
  header: Record<string, string | undefined>;
}

/** Validators of one operation. */
export interface OperationValidators {
  params(input: ValidatedParams): FieldError[];
  body(value: unknown): FieldError[];
}

function toFieldErrors(errors: CompiledValidationError[] | null | undefined, prefix: string): FieldError[] {
  return (errors ?? []).map((e) => {
    let path = e.instancePath;
    if (e.keyword === 'required') path += `/${(e.params as { missingProperty: string }).missingProperty}`;
    if (e.keyword === 'additionalProperties') path += `/${(e.params as { additionalProperty: string }).additionalProperty}`;
    return { path: prefix ? `${prefix}${path}` : path || '/', message: e.message ?? 'is invalid' };
  });
}

/** Runs `validate`; its errors, prefixed, when `value` is invalid. */
function check(validate: CompiledValidator, value: unknown, prefix: string): FieldError[] {
  return validate(value) ? [] : toFieldErrors(validate.errors, prefix);
}

/** The validators of each operation (the query validator coerces "10" to the integer 10 in place). */
export function createValidators(): (route: Route) => OperationValidators {
  const cache = new Map<string, OperationValidators>();
  return (route) => {
    const cached = cache.get(route.operationId);
    if (cached) return cached;
    const compiled = operationValidators[route.operationId];
    if (!compiled) {
      throw new Error(`No compiled validators for operation ${route.operationId}: run \`pnpm generate\` after changing the spec.`);
    }
    const validators: OperationValidators = {
      params: (input) => [...check(compiled.path, input.path, 'path'), ...check(compiled.query, input.query, 'query'), ...check(compiled.header, input.header, 'header')],
      body: (value) => (compiled.body ? check(compiled.body, value, '') : []),
    };
    cache.set(route.operationId, validators);
    return validators;
  };
}
