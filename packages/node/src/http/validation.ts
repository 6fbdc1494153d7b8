/**
 * Request validation against the spec with Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 * Validators are compiled lazily, once per operation, and cached: never per request.
 * @module
 */
import Ajv2020Import, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { spec } from '../generated/spec.js';
import type { FieldError } from './problem.js';
import type { Route, SpecParameter } from './routes.js';

// Both packages are CommonJS with a `default` export; this works under ESM, CJS and bundlers.
const Ajv2020 = ((Ajv2020Import as any).default ?? Ajv2020Import) as typeof Ajv2020Import;
const addFormats = ((addFormatsImport as any).default ?? addFormatsImport) as typeof addFormatsImport;

const SPEC_ID = 'https://aivah.dev/openapi.json';

function createAjv(coerceTypes: boolean): InstanceType<typeof Ajv2020> {
  // strict: false because OpenAPI schemas carry `example` and other annotations Ajv does not know.
  const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_ID, components: spec.components } as object);
  return ajv;
}

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

function toFieldErrors(errors: ErrorObject[] | null | undefined, prefix: string): FieldError[] {
  return (errors ?? []).map((e) => {
    let path = e.instancePath;
    if (e.keyword === 'required') path += `/${(e.params as { missingProperty: string }).missingProperty}`;
    if (e.keyword === 'additionalProperties') path += `/${(e.params as { additionalProperty: string }).additionalProperty}`;
    return { path: prefix ? `${prefix}${path}` : path || '/', message: e.message ?? 'is invalid' };
  });
}

/** Points the spec's document-relative `$ref`s at the registered spec, for schemas compiled on their own. */
function absoluteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absoluteRefs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${SPEC_ID}${v}` : absoluteRefs(v)]),
  );
}

function locationSchema(parameters: SpecParameter[], where: SpecParameter['in']): object {
  const own = parameters.filter((p) => p.in === where);
  return {
    type: 'object',
    properties: Object.fromEntries(own.map((p) => [p.name, absoluteRefs(p.schema)])),
    // A missing Idempotency-Key has its own code (IDEMPOTENCY_KEY_MISSING), checked by the pipeline
    // once the account is known; the schema still checks the key's format when it is sent.
    required: own.filter((p) => p.required && p.name !== 'Idempotency-Key').map((p) => p.name),
  };
}

/** Compiles and caches the validators of each operation on first use. */
export function createValidators(): (route: Route) => OperationValidators {
  const paramAjv = createAjv(true); // query strings are text: "10" must count as the integer 10
  const bodyAjv = createAjv(false);
  const cache = new Map<string, OperationValidators>();
  return (route) => {
    const cached = cache.get(route.operationId);
    if (cached) return cached;
    const compile = (where: SpecParameter['in']) =>
      paramAjv.compile({ $id: `${SPEC_ID}/${route.operationId}/${where}`, ...locationSchema(route.parameters, where) });
    const path = compile('path');
    const query = compile('query');
    const header = compile('header');
    const body: ValidateFunction | null = route.bodyRef ? bodyAjv.compile({ $ref: `${SPEC_ID}${route.bodyRef}` }) : null;
    const validators: OperationValidators = {
      params(input) {
        const errors: FieldError[] = [];
        if (!path(input.path)) errors.push(...toFieldErrors(path.errors, 'path'));
        if (!query(input.query)) errors.push(...toFieldErrors(query.errors, 'query'));
        if (!header(input.header)) errors.push(...toFieldErrors(header.errors, 'header'));
        return errors;
      },
      body(value) {
        if (!body || body(value)) return [];
        return toFieldErrors(body.errors, '');
      },
    };
    cache.set(route.operationId, validators);
    return validators;
  };
}
