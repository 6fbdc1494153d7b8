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

/** A route as the router compares it: its literal segments and its parameters, by position. */
interface RoutePattern {
  route: Route;
  literals: Array<[index: number, segment: string]>;
  params: Array<[index: number, name: string]>;
}

/**
 * Matches `pathname` (already stripped of any base path) against the routes. The routes are
 * grouped by segment count once, so a request is compared only with routes of its own length, on
 * their literal segments; parameters are decoded for the route that matched.
 */
export function createRouter(routes: Route[]): (method: string, pathname: string) => RouteMatch {
  const byLength = new Map<number, RoutePattern[]>();
  for (const route of routes) {
    const pattern: RoutePattern = { route, literals: [], params: [] };
    route.segments.forEach((segment, i) => {
      if (segment.startsWith('{')) pattern.params.push([i, segment.slice(1, -1)]);
      else pattern.literals.push([i, segment]);
    });
    const group = byLength.get(route.segments.length);
    if (group) group.push(pattern);
    else byLength.set(route.segments.length, [pattern]);
  }
  return (method, pathname) => {
    const parts = pathname.split('/').filter(Boolean);
    const allow: string[] = [];
    for (const pattern of byLength.get(parts.length) ?? []) {
      if (!pattern.literals.every(([i, segment]) => parts[i] === segment)) continue;
      if (pattern.route.method === method) return { kind: 'found', route: pattern.route, params: paramsOf(pattern, parts) };
      allow.push(pattern.route.method);
    }
    return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
  };
}

/** The parameters' values, percent-decoded. */
function paramsOf(pattern: RoutePattern, parts: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [i, name] of pattern.params) {
    const part = parts[i]!;
    try {
      params[name] = part.includes('%') ? decodeURIComponent(part) : part;
    } catch {
      params[name] = part; // invalid escapes fail the pattern check later
    }
  }
  return params;
}
