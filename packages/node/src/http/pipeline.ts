/**
 * The request pipeline: route → identify → rate limit → scopes → validate → resolve account →
 * body → idempotency → operation → response. Every failure becomes a problem response here.
 * @module
 */
import { requireScopes, resolveAccount, type IdentifyFn, type Identity } from './auth.js';
import { readJsonBody } from './body.js';
import type { HandlerContext, Operation, OperationId, OperationInput, OperationResult } from './context.js';
import { hashHttpRequest, idempotencyKeyOf } from './idempotency.js';
import { fromWebRequest, isIncomingRequest, type IncomingRequest } from './incoming.js';
import { HttpProblem, problemBody, toProblem } from './problem.js';
import type { RateLimitFn } from './rate-limit.js';
import { createRouter, type Route } from './routes.js';
import { createValidators, type ValidatedParams } from './validation.js';

interface PipelineOptions {
  identify: IdentifyFn;
  rateLimit: RateLimitFn | null;
  basePath: string;
  maxBodyBytes: number;
}

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Operations that read their own raw body and check their own signature. */
const RAW_OPERATIONS = new Set(['receiveStripeWebhook']);
/** Operations that answer with a stream, which ends when the client goes away. */
const STREAMING_OPERATIONS: ReadonlySet<string> = new Set<OperationId>(['streamBalance']);
/** The signal of every other operation: they answer in one piece. */
const NEVER_ABORTED = new AbortController().signal;

/** Two hex digits per byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** Random bytes for request ids, refilled every 256 ids: one `getRandomValues` call instead of one per request. */
const idBytes = new Uint8Array(4096);
let idOffset = idBytes.length;

/** `req_` and 128 random bits as 32 hex digits: the shape `randomUUID` without its dashes gave, at a third of its cost. */
function newRequestId(): string {
  if (idOffset === idBytes.length) {
    crypto.getRandomValues(idBytes);
    idOffset = 0;
  }
  let id = 'req_';
  for (const end = idOffset + 16; idOffset < end; idOffset++) id += HEX[idBytes[idOffset]!];
  return id;
}

/**
 * A finished JSON answer before it becomes a `Response`: what {@link CreditsHandler.handle} gives a
 * server adapter, which writes it in one go (one write with Content-Length) instead of building a
 * `Response` and reading its stream back.
 */
export interface PreparedResponse {
  /** The HTTP status. */
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** The body text (JSON or problem+json). */
  body: string;
}

/** The options of `handler.handle`: `signal` aborts when the client goes away (read by streams only). */
interface HandleOptions {
  readonly signal?: AbortSignal;
}

function jsonResult(result: Exclude<OperationResult, Response>, requestId: string): PreparedResponse {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-request-id': requestId,
    ...result.headers,
  };
  if (result.replayed) headers['idempotent-replayed'] = 'true';
  return { status: result.status, headers, body: JSON.stringify(result.body) };
}

function problemResult(problem: HttpProblem, requestId: string, instance: string): PreparedResponse {
  const response = problemBody(problem, requestId, instance);
  return { status: problem.status, headers: response.headers, body: response.body };
}

/** Turns a raw result into a `Response`. */
export function toResponse(result: PreparedResponse | Response): Response {
  return result instanceof Response ? result : new Response(result.body, { status: result.status, headers: result.headers });
}

function collectParams(route: Route, request: IncomingRequest, url: URL, path: Record<string, string>): ValidatedParams {
  const query: Record<string, unknown> = {};
  const header: Record<string, string | undefined> = {};
  for (const p of route.parameters) {
    if (p.in === 'query') {
      const value = url.searchParams.get(p.name);
      if (value !== null) query[p.name] = value;
    } else if (p.in === 'header') {
      header[p.name] = request.headers.get(p.name) ?? undefined;
    }
  }
  return { path, query, header };
}

/** Builds the pipeline once; the returned function serves requests. */
export function createPipeline(ctx: HandlerContext, routes: Route[], operations: { readonly [K in OperationId]: Operation<K> }, options: PipelineOptions) {
  const match = createRouter(routes);
  const validatorsOf = createValidators();

  async function run(from: Request | IncomingRequest, request: IncomingRequest, url: URL, requestId: string, handleOptions: HandleOptions | undefined): Promise<Response | PreparedResponse> {
    let pathname = url.pathname;
    // Paths without the prefix are served too: a framework that mounts the handler under the
    // prefix (Express `app.use('/api/credits', …)`) has already stripped it.
    if (options.basePath && (pathname === options.basePath || pathname.startsWith(`${options.basePath}/`))) {
      pathname = pathname.slice(options.basePath.length) || '/';
    }
    const found = match(request.method, pathname);
    if (found.kind === 'not-found') throw new HttpProblem('NOT_FOUND', `No route ${request.method} ${pathname}.`);
    if (found.kind === 'method-not-allowed') {
      throw new HttpProblem('METHOD_NOT_ALLOWED', `${request.method} is not allowed here; use ${found.allow.join(', ')}.`, {}, { allow: found.allow.join(', ') });
    }
    const { route, params: path } = found;
    // The route table is read from the same spec as OperationId; the handler checked at start-up
    // that every route has its operation.
    const operation = operations[route.operationId as OperationId] as Operation;

    let identity: Identity | null = null;
    if (route.scopes !== null) {
      const { identify } = options;
      identity = await (identify.fromHeaders ? identify.fromHeaders(request.headers, () => request.toRequest()) : identify(request.toRequest()));
      if (!identity) throw new HttpProblem('UNAUTHENTICATED', 'Send valid credentials: Authorization: Bearer <key>, or a signed-in session.');
      if (options.rateLimit) {
        const limit = options.rateLimit;
        const verdict = await (limit.byIdentity ? limit.byIdentity(identity) : limit(identity, request.toRequest()));
        if (!verdict.ok) {
          const seconds = Math.max(1, Math.ceil(verdict.retryAfterSeconds));
          throw new HttpProblem('RATE_LIMITED', `Too many requests; retry in ${seconds} s.`, {}, { 'retry-after': String(seconds) });
        }
      }
      requireScopes(identity, route.scopes);
    }

    const input: OperationInput = { request, signal: streamSignal(route, from, handleOptions), requestId, identity, accountId: null, params: { path, query: {}, header: {} }, body: undefined, idempotency: null };
    if (!RAW_OPERATIONS.has(route.operationId)) {
      const validators = validatorsOf(route);
      input.params = collectParams(route, request, url, path);
      const paramErrors = validators.params(input.params);
      if (paramErrors.length > 0) throw validationFailed(paramErrors);
      if (path.accountId !== undefined) input.accountId = resolveAccount(identity!, path.accountId);
      if (route.idempotencyKeyRequired && !input.params.header['Idempotency-Key']) {
        throw new HttpProblem(
          'IDEMPOTENCY_KEY_MISSING',
          'This operation moves credits or money: send an Idempotency-Key header (a fresh key per operation, the same key on every retry), so that a retry after a lost answer cannot apply it twice.',
          { errors: [{ path: 'header/Idempotency-Key', message: 'is required' }] },
        );
      }
      if (route.bodyRef) {
        const body = await readJsonBody(request, options.maxBodyBytes);
        if (body === undefined && route.bodyRequired) throw validationFailed([{ path: '/', message: 'a JSON request body is required' }]);
        const bodyErrors = body === undefined ? [] : validators.body(body);
        if (bodyErrors.length > 0) throw validationFailed(bodyErrors);
        // Validated against the operation's schema just above: from here on it has the spec's type.
        input.body = body as OperationInput['body'];
      }
      if (request.method === 'POST' || request.method === 'PUT') {
        const { key, generated } = idempotencyKeyOf(request);
        const resolvedPath = route.template.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'accountId' ? input.accountId! : path[name]!));
        input.idempotency = { key, generated, requestHash: hashHttpRequest(request.method, resolvedPath, input.body) };
      }
    }

    const result = await operation(ctx, input);
    if (result instanceof Response) {
      if (!result.headers.has('x-request-id')) result.headers.set('x-request-id', requestId);
      return result;
    }
    return jsonResult(result, requestId);
  }

  return async (from: Request | IncomingRequest, handleOptions?: HandleOptions): Promise<Response | PreparedResponse> => {
    const request = isIncomingRequest(from) ? from : fromWebRequest(from);
    const incoming = request.headers.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : newRequestId();
    let url: URL;
    try {
      url = request.parsedUrl ?? new URL(request.url);
    } catch {
      return problemResult(new HttpProblem('NOT_FOUND', 'Unparseable request URL.'), requestId, '/');
    }
    try {
      return await run(from, request, url, requestId, handleOptions);
    } catch (error) {
      const problem = toProblem(error);
      if (problem) return problemResult(problem, requestId, url.pathname);
      ctx.logger.error('unexpected error', { requestId, path: url.pathname, error: error instanceof Error ? error.stack ?? error.message : String(error) });
      return problemResult(new HttpProblem('INTERNAL_ERROR', 'Something went wrong on our side. It is safe to retry with the same Idempotency-Key.'), requestId, url.pathname);
    }
  };
}

/**
 * The signal an operation gets. Only streams need to know that the client went away: other
 * requests never read `handleOptions.signal`, which a server adapter builds on first read.
 */
function streamSignal(route: Route, from: Request | IncomingRequest, handleOptions: HandleOptions | undefined): AbortSignal {
  if (!STREAMING_OPERATIONS.has(route.operationId)) return NEVER_ABORTED;
  return handleOptions?.signal ?? (isIncomingRequest(from) ? new AbortController().signal : from.signal);
}

function validationFailed(errors: Array<{ path: string; message: string }>): HttpProblem {
  const first = errors[0]!;
  return new HttpProblem('VALIDATION_FAILED', `${first.path} ${first.message}`.trim(), { errors });
}
