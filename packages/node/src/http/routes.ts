/**
 * The route table, read from the generated spec: paths, methods, operation ids, parameters and
 * the scopes of each operation's `security` requirement. Nothing here is duplicated by hand, so a
 * spec change (a new scope, a new parameter) reaches the server by regenerating `spec.ts`.
 * @module
 */
import { spec } from '../generated/spec.js';

/** An OpenAPI parameter after `$ref` resolution. */
export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Record<string, unknown>;
}

/** One operation of the spec, ready for matching. */
export interface Route {
  operationId: string;
  method: string;
  template: string;
  /** Literal and `{param}` segments of the path. */
  segments: string[];
  parameters: SpecParameter[];
  /** `null`: no authentication (Stripe webhook). Otherwise the scopes all required. */
  scopes: string[] | null;
  /** JSON schema `$ref` of the request body, if the operation has one. */
  bodyRef: string | null;
  bodyRequired: boolean;
  /** The operation moves credits or money: a request without `Idempotency-Key` is refused. */
  idempotencyKeyRequired: boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** A `$ref` to another part of the document (`#/components/...`). */
interface Ref { $ref: string }
/** A security requirement: scheme name → scopes. */
type SecurityRequirement = Record<string, string[]>;
/** The parts of an OpenAPI operation that the routes are built from. */
interface SpecOperation {
  operationId: string;
  parameters?: (SpecParameter | Ref)[];
  security?: SecurityRequirement[];
  requestBody?: { required?: boolean; content: { 'application/json': { schema: Ref } } };
}
/** The parts of an OpenAPI document that the routes are built from. */
type SpecPathItem = { parameters?: (SpecParameter | Ref)[] } & { [M in (typeof METHODS)[number]]?: SpecOperation };
interface SpecDocument {
  paths: Record<string, SpecPathItem>;
  security?: SecurityRequirement[];
}

function resolveRef(document: SpecDocument, node: SpecParameter | Ref): SpecParameter {
  if (!('$ref' in node)) return node;
  const path = node.$ref.replace(/^#\//, '').split('/');
  // The generated spec is valid OpenAPI: every `$ref` names a parameter object.
  let target: unknown = document;
  for (const key of path) target = (target as Record<string, unknown>)[key];
  return target as SpecParameter;
}

function scopesOf(document: SpecDocument, operation: SpecOperation): string[] | null {
  const security = operation.security ?? document.security;
  if (!security || security.length === 0) return null;
  // The spec uses a single bearer requirement per operation; its array lists the scopes.
  return [...(security[0]!.bearerAuth ?? [])];
}

/**
 * Builds every {@link Route} of the spec. `document` is the generated spec unless given: the
 * validator generator passes the freshly parsed YAML, before `spec.ts` is rewritten.
 */
export function buildRoutes(document: object = spec): Route[] {
  const doc = document as SpecDocument;
  const routes: Route[] = [];
  for (const [template, pathItem] of Object.entries(doc.paths)) {
    const shared = pathItem.parameters ?? [];
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      const parameters = [...shared, ...(operation.parameters ?? [])].map((p) => resolveRef(doc, p));
      const body = operation.requestBody;
      routes.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        template,
        segments: template.split('/').filter(Boolean),
        parameters,
        scopes: scopesOf(doc, operation),
        bodyRef: body ? body.content['application/json'].schema.$ref : null,
        bodyRequired: Boolean(body?.required),
        idempotencyKeyRequired: parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key' && p.required === true),
      });
    }
  }
  return routes;
}

/** The result of matching a request path. */
export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

/** Matches `pathname` (already stripped of any base path) against the routes. */
export function createRouter(routes: Route[]): (method: string, pathname: string) => RouteMatch {
  return (method, pathname) => {
    const parts = pathname.split('/').filter(Boolean);
    const allow: string[] = [];
    for (const route of routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const segment = route.segments[i]!;
        const part = parts[i]!;
        if (segment.startsWith('{')) {
          try {
            params[segment.slice(1, -1)] = decodeURIComponent(part);
          } catch {
            params[segment.slice(1, -1)] = part; // invalid escapes fail the pattern check later
          }
        } else if (segment !== part) ok = false;
      }
      if (!ok) continue;
      if (route.method === method) return { kind: 'found', route, params };
      allow.push(route.method);
    }
    return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
  };
}
