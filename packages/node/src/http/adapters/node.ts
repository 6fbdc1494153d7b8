/**
 * `toNodeHandler`: serve the fetch-standard handler from `node:http` (and anything built on it).
 * @module
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { CreditsHandler } from '../handler.js';
import { concatBytes, payloadTooLarge, type HeaderReader, type IncomingRequest } from '../incoming.js';
import type { PreparedResponse } from '../pipeline.js';
import { HttpProblem, problemBody } from '../problem.js';

/** A fetch-standard handler. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Builds a Web `Request` from a Node request. With `signal`, the request's own signal aborts when
 * it does (for plain fetch handlers); the credits handler takes the signal through `handle`
 * instead, because in Node a Request with a signal builds and links its own AbortController,
 * which costs more than the rest of the request bridge together. `path` replaces `req.url` (a
 * framework's mount point stripped); `body` is one a framework's parser already read.
 */
export function toWebRequest(req: IncomingMessage, signal: AbortSignal | null, body?: Uint8Array | null, path = req.url ?? '/'): Request {
  const url = requestUrl(req, path);
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers: headerRecord(req) };
  if (signal) init.signal = signal;
  if (method !== 'GET' && method !== 'HEAD') {
    // A Uint8Array is a BodyInit; the DOM typings only accept one over a plain ArrayBuffer.
    init.body = body !== undefined ? (body as BodyInit | null) : requestBody(req);
    init.duplex = 'half';
  }
  return new Request(url, init);
}

/** The absolute URL of a Node request at `path`: the Host header names the origin, TLS sockets make it https. */
function requestUrl(req: IncomingMessage, path: string): string {
  const secure = Boolean((req.socket as { encrypted?: boolean }).encrypted);
  const host = req.headers.host ?? 'localhost';
  return path.startsWith('/') ? `${secure ? 'https' : 'http'}://${host}${path}` : new URL(path, `http://${host}`).href;
}

/** The request's headers as one string each (repeated headers joined with `, `, as in fetch). */
function headerRecord(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in req.headers) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** `req.headers` read by name, like `Headers.get`. */
class NodeHeaders implements HeaderReader {
  readonly #raw: IncomingHttpHeaders;

  constructor(raw: IncomingHttpHeaders) {
    this.#raw = raw;
  }

  get(name: string): string | null {
    const value = this.#raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
}

/**
 * A Node request as the handler's {@link IncomingRequest}, for `handler.handle`: the headers are
 * read from `req.headers` and the body from the request stream when the operation asks for it, so
 * no `Request` and no body stream are built (in Node they cost more than routing, validating and
 * answering a consume together). The URL is parsed once, here, and handed on as `parsedUrl`.
 * A class rather than an object of closures: one is built per request.
 */
class NodeIncomingRequest implements IncomingRequest {
  readonly method: string;
  readonly url: string;
  readonly parsedUrl: URL;
  readonly headers: NodeHeaders;
  readonly #req: IncomingMessage;
  readonly #parsed: Uint8Array | null | undefined;
  #built: Request | null = null;

  /** Throws when the request line and Host do not make a URL (the check `new Request` makes). */
  constructor(req: IncomingMessage, path: string, parsed: Uint8Array | null | undefined) {
    this.method = req.method ?? 'GET';
    this.url = requestUrl(req, path);
    this.parsedUrl = new URL(this.url);
    this.headers = new NodeHeaders(req.headers);
    this.#req = req;
    this.#parsed = parsed;
  }

  toRequest(): Request {
    return (this.#built ??= new Request(this.url, { method: this.method, headers: headerRecord(this.#req) }));
  }

  readBody(maxBytes: number): Promise<Uint8Array> {
    const parsed = this.#parsed;
    if (parsed !== undefined) {
      const bytes = parsed ?? new Uint8Array(0);
      return bytes.byteLength > maxBytes ? Promise.reject(payloadTooLarge(maxBytes)) : Promise.resolve(bytes);
    }
    if (Number(this.#req.headers['content-length']) > maxBytes) return Promise.reject(payloadTooLarge(maxBytes));
    return readNodeBody(this.#req, maxBytes);
  }
}

/** Reads a Node request's body up to `maxBytes`; past it stops reading (the adapter drains or closes after the answer). */
function readNodeBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        cleanup();
        req.pause();
        reject(payloadTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(concatBytes(chunks, total));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('The client closed the connection before sending the whole body.'));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
}

/**
 * Most bytes of a request body the handler left unread that are read and dropped after the answer,
 * so that the keep-alive connection can carry the next request. Past it the connection is closed.
 */
const DRAIN_LIMIT = 1024 * 1024;

/**
 * The request body as a Web stream that leaves the Node request alone when cancelled. (Node's
 * `Readable.toWeb` destroys the request on cancel, and a request that was paused half-read is never
 * drained by `node:http`: either way the connection was lost or hung after an early 413/415/401.)
 */
function requestBody(req: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  const stop = () => {
    open = false;
    req.pause();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on('data', (chunk: Buffer) => {
          if (!open) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 1) <= 0) req.pause();
        });
        req.once('end', () => {
          if (open) controller.close();
          open = false;
        });
        req.once('error', (error) => {
          if (open) controller.error(error);
          open = false;
        });
      },
      pull() {
        if (open) req.resume();
      },
      cancel: stop,
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}

/**
 * After an answer that did not read the whole body (413, 415, 401, 404 on a POST), read and drop
 * the rest so the next request on this connection is served; past {@link DRAIN_LIMIT} close it.
 */
function settleRequestBody(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  req.removeAllListeners('data');
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.byteLength;
    if (dropped > DRAIN_LIMIT) req.socket?.destroy();
  });
  req.resume();
}

/** Answers an error the adapter itself found, as problem+json like every other error. */
function adapterProblem(res: ServerResponse, code: 'VALIDATION_FAILED' | 'INTERNAL_ERROR', detail: string, instance: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const { body, headers } = problemBody(new HttpProblem(code, detail), `req_${crypto.randomUUID().replace(/-/g, '')}`, instance);
  res.writeHead(code === 'VALIDATION_FAILED' ? 400 : 500, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body);
}

/**
 * The signal that aborts when the client goes away, built when first read: only streams read it,
 * so most requests pay neither for an AbortController nor for a 'close' listener. (A class, so
 * that the getter lives on the prototype: an object literal with a getter is built by a slow
 * runtime path on every request.)
 */
class ClientSignal {
  readonly #res: ServerResponse;
  #controller: AbortController | undefined;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      const controller = new AbortController();
      const res = this.#res;
      this.#controller = controller;
      // Gone already: Node marks the response destroyed when its socket closes.
      if (res.destroyed || res.socket?.destroyed) controller.abort();
      else {
        res.once('close', () => {
          // 'close' also follows a finished response; aborting then would only cost a DOMException.
          if (!res.writableFinished) controller.abort();
        });
      }
    }
    return this.#controller.signal;
  }
}

/**
 * Serves one request: builds the request, runs the handler, writes its answer, then settles an
 * unread body. `path` replaces `req.url` (a framework's mount point stripped); `body` is one a
 * framework's parser already read (`undefined`: read it from the request). `onError` gets
 * failures to build the request or to answer (Express: `next`).
 */
export function serveNodeRequest(
  handler: FetchHandler | CreditsHandler,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: Uint8Array | null | undefined,
  onError?: (error: unknown) => void,
): void {
  const client = new ClientSignal(res);
  let answer: Promise<Response | PreparedResponse>;
  try {
    // Building the request throws for a request line and Host that make no URL; the handlers
    // themselves answer every error as a response.
    answer = 'handle' in handler && typeof handler.handle === 'function' ? handler.handle(new NodeIncomingRequest(req, path, body), client) : handler(toWebRequest(req, client.signal, body, path));
  } catch (error) {
    if (onError) return onError(error);
    closeIfUndrainable(req, res);
    adapterProblem(res, 'VALIDATION_FAILED', 'The request line or Host header is not a valid URL.', '/');
    settleRequestBody(req);
    return;
  }
  void respond(answer, req, res, onError);
}

/** Writes the handler's answer (or the adapter's 500), then settles an unread body. */
async function respond(answer: Promise<Response | PreparedResponse>, req: IncomingMessage, res: ServerResponse, onError: ((error: unknown) => void) | undefined): Promise<void> {
  try {
    const response = await answer;
    closeIfUndrainable(req, res);
    if (response instanceof Response) await writeWebResponse(response, res);
    else writePrepared(response, res);
  } catch (error) {
    if (onError) return onError(error);
    adapterProblem(res, 'INTERNAL_ERROR', 'Something went wrong on our side while answering.', req.url ?? '/');
  } finally {
    settleRequestBody(req);
  }
}

/** An unread body over the drain limit cannot be drained: say so, and close after the answer. */
function closeIfUndrainable(req: IncomingMessage, res: ServerResponse): void {
  if (!req.complete && Number(req.headers['content-length']) > DRAIN_LIMIT && !res.headersSent) res.setHeader('connection', 'close');
}

/**
 * Writes a prepared JSON answer in one write, with `Content-Length`. The headers go to `writeHead`
 * as a flat `[name, value, …]` list: Node walks an object's keys with `for…in`, which cost about
 * 1 µs more per answer than the list (a tenth of the handler's own time on a balance read).
 */
function writePrepared(response: PreparedResponse, res: ServerResponse): void {
  const headers: string[] = [];
  for (const name in response.headers) headers.push(name, response.headers[name]!);
  headers.push('content-length', String(Buffer.byteLength(response.body)));
  res.writeHead(response.status, headers);
  res.end(response.body);
}

/** Bodies written as they are produced: the balance event stream and the ledger's CSV export. */
const STREAMED_TYPES = /^(text\/event-stream|text\/csv)\b/;

/**
 * Writes a Web `Response` to a Node response. Event streams and CSV exports are streamed chunk by
 * chunk, with backpressure; anything else is buffered and sent in one write with `Content-Length`, which avoids
 * chunked encoding and extra packets for the small JSON answers that make up most traffic.
 */
export async function writeWebResponse(response: Response | PreparedResponse, res: ServerResponse): Promise<void> {
  if (!(response instanceof Response)) return writePrepared(response, res);
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = name === 'set-cookie' ? response.headers.getSetCookie() : value;
  });
  if (!response.body) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  if (!STREAMED_TYPES.test(response.headers.get('content-type') ?? '')) {
    const body = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, { ...headers, 'content-length': body.byteLength });
    res.end(body);
    return;
  }
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = response.body.getReader();
  const onClose = () => reader.cancel().catch(() => {});
  res.once('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Respect backpressure: a slow client must not make us buffer an unbounded stream.
      if (!res.write(value)) await drained(res);
      if (res.destroyed) break;
    }
  } catch {
    // The client went away mid-stream, or the body errored; nothing more to send.
  } finally {
    res.off('close', onClose);
    if (!res.writableEnded) res.end();
  }
}

/** Resolves on 'drain' or 'close', removing both listeners (a long stream must not pile them up). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Adapts a fetch-standard handler to `node:http`. Streams responses (Server-Sent Events flush each
 * event) and aborts the Request's `signal` when the client disconnects, which ends open streams.
 *
 * @example
 * http.createServer(toNodeHandler(handler)).listen(8787);
 */
export function toNodeHandler(handler: FetchHandler | CreditsHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => serveNodeRequest(handler, req, res, req.url ?? '/', undefined);
}
