/**
 * `toNodeHandler`: serve the fetch-standard handler from `node:http` (and anything built on it).
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CreditsHandler } from '../handler.js';
import { concatBytes, payloadTooLarge, type IncomingRequest } from '../incoming.js';
import type { PreparedResponse } from '../pipeline.js';
import { HttpProblem, problemBody } from '../problem.js';

/** A fetch-standard handler. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Builds a Web `Request` from a Node request. With `signal`, the request's own signal aborts when
 * it does (for plain fetch handlers); the credits handler takes the signal through `handle`
 * instead, because in Node a Request with a signal builds and links its own AbortController,
 * which costs more than the rest of the request bridge together.
 */
export function toWebRequest(req: IncomingMessage, signal: AbortSignal | null, body?: BodyInit | null): Request {
  const url = requestUrl(req, req.url ?? '/');
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers: headerRecord(req) };
  if (signal) init.signal = signal;
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = body !== undefined ? body : requestBody(req);
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

/**
 * A Node request as the handler's {@link IncomingRequest}, for `handler.handle`: the headers are
 * read from `req.headers` and the body from the request stream when the operation asks for it, so
 * no `Request` and no body stream are built (in Node they cost more than routing, validating and
 * answering a consume together). `parsed` is a body a framework's parser already read.
 * Throws when the request line and Host do not make a URL.
 */
export function toIncomingRequest(req: IncomingMessage, path = req.url ?? '/', parsed?: Uint8Array | null): IncomingRequest {
  const url = requestUrl(req, path);
  new URL(url); // the same check `new Request` makes: a malformed Host is the adapter's 400
  const method = req.method ?? 'GET';
  let built: Request | null = null;
  return {
    method,
    url,
    headers: {
      get(name) {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    toRequest: () => (built ??= new Request(url, { method, headers: headerRecord(req) })),
    readBody(maxBytes) {
      if (parsed !== undefined) {
        const bytes = parsed ?? new Uint8Array(0);
        return bytes.byteLength > maxBytes ? Promise.reject(payloadTooLarge(maxBytes)) : Promise.resolve(bytes);
      }
      if (Number(req.headers['content-length']) > maxBytes) return Promise.reject(payloadTooLarge(maxBytes));
      return readNodeBody(req, maxBytes);
    },
  };
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
 * so most requests never pay for an AbortController. (A class, so that the getter lives on the
 * prototype: an object literal with a getter is built by a slow runtime path on every request.)
 */
class ClientSignal {
  #controller: AbortController | undefined;
  #gone = false;

  constructor(res: ServerResponse) {
    // 'close' also follows every finished response; aborting then would only cost a DOMException.
    res.once('close', () => {
      if (res.writableFinished) return;
      this.#gone = true;
      this.#controller?.abort();
    });
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#gone) this.#controller.abort();
    }
    return this.#controller.signal;
  }
}

/** How {@link serveNodeRequest} builds the request: a Web `Request` for plain fetch handlers, an {@link IncomingRequest} for the credits handler. */
export interface NodeRequestBuilders {
  /** The Web request; its `signal` aborts when the client goes away. */
  web: (signal: AbortSignal) => Request;
  /** The same request without a `Request` object, for `handler.handle`. */
  incoming: () => IncomingRequest;
}

/**
 * Serves one request: builds the request, runs the handler, writes its answer, then settles an
 * unread body. `onError` gets failures to build the request or to answer (Express: `next`).
 */
export function serveNodeRequest(
  handler: FetchHandler | CreditsHandler,
  req: IncomingMessage,
  res: ServerResponse,
  build: NodeRequestBuilders,
  onError?: (error: unknown) => void,
): void {
  const prepared = 'handle' in handler && typeof handler.handle === 'function' ? handler : null;
  const client = new ClientSignal(res);
  // An unread body over the drain limit cannot be drained: say so, and close after the answer.
  const declared = Number(req.headers['content-length']);
  const settle = () => {
    if (!req.complete && declared > DRAIN_LIMIT && !res.headersSent) res.setHeader('connection', 'close');
  };
  let answer: Promise<Response | PreparedResponse>;
  try {
    // Building the request throws for a request line and Host that make no URL; the handlers
    // themselves answer every error as a response.
    answer = prepared ? prepared.handle(build.incoming(), client) : handler(build.web(client.signal));
  } catch (error) {
    if (onError) return onError(error);
    settle();
    adapterProblem(res, 'VALIDATION_FAILED', 'The request line or Host header is not a valid URL.', '/');
    settleRequestBody(req);
    return;
  }
  answer
    .then((response) => {
      settle();
      return writeWebResponse(response, res);
    })
    .catch((error: unknown) => {
      if (onError) return onError(error);
      adapterProblem(res, 'INTERNAL_ERROR', 'Something went wrong on our side while answering.', req.url ?? '/');
    })
    .finally(() => settleRequestBody(req));
}

/** Bodies written as they are produced: the balance event stream and the ledger's CSV export. */
const STREAMED_TYPES = /^(text\/event-stream|text\/csv)\b/;

/**
 * Writes a Web `Response` to a Node response. Event streams and CSV exports are streamed chunk by
 * chunk, with backpressure; anything else is buffered and sent in one write with `Content-Length`, which avoids
 * chunked encoding and extra packets for the small JSON answers that make up most traffic.
 */
export async function writeWebResponse(response: Response | PreparedResponse, res: ServerResponse): Promise<void> {
  if (!(response instanceof Response)) {
    res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
    res.end(response.body);
    return;
  }
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
  return (req, res) => serveNodeRequest(handler, req, res, { web: (signal) => toWebRequest(req, signal), incoming: () => toIncomingRequest(req) });
}
