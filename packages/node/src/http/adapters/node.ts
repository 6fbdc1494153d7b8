/**
 * `toNodeHandler`: serve the fetch-standard handler from `node:http` (and anything built on it).
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** A fetch-standard handler. */
export type FetchHandler = (request: Request) => Promise<Response>;

const CLIENT_SIGNAL = Symbol.for('aivah.credits.clientSignal');

/**
 * Builds a Web `Request` from a Node request; `signal` aborts when the client disconnects.
 * With `attachSignal` the signal is attached under the `aivah.credits.clientSignal` symbol rather
 * than passed to the constructor (much cheaper in Node; the credits handler reads it there).
 */
export function toWebRequest(req: IncomingMessage, signal: AbortSignal, body?: BodyInit | null, attachSignal = false): Request {
  const secure = Boolean((req.socket as { encrypted?: boolean }).encrypted);
  const host = req.headers.host ?? 'localhost';
  const path = req.url ?? '/';
  const url = path.startsWith('/') ? `${secure ? 'https' : 'http'}://${host}${path}` : new URL(path, `http://${host}`).href;
  const headers: Record<string, string> = {};
  for (const name in req.headers) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (!attachSignal) init.signal = signal;
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = body !== undefined ? body : (Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>);
    init.duplex = 'half';
  }
  const request = new Request(url, init);
  if (attachSignal) Object.defineProperty(request, CLIENT_SIGNAL, { value: signal });
  return request;
}

/** A JSON answer of the handler's fast path (see `RAW_HANDLER`). */
interface RawResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const RAW_HANDLER = Symbol.for('aivah.credits.rawHandler');

/**
 * Writes a Web `Response` to a Node response. Event streams are streamed and flushed chunk by
 * chunk; anything else is buffered and sent in one write with `Content-Length`, which avoids
 * chunked encoding and extra packets for the small JSON answers that make up most traffic.
 */
export async function writeWebResponse(response: Response | RawResult, res: ServerResponse): Promise<void> {
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
  if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
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
export function toNodeHandler(handler: FetchHandler): (req: IncomingMessage, res: ServerResponse) => void {
  const raw = (handler as { [RAW_HANDLER]?: (request: Request) => Promise<Response | RawResult> })[RAW_HANDLER];
  const run = raw ?? handler;
  return (req, res) => {
    const controller = new AbortController();
    // 'close' also follows every finished response; aborting then would only cost a DOMException.
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    let request: Request;
    try {
      request = toWebRequest(req, controller.signal, undefined, Boolean(raw));
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request');
      return;
    }
    run(request)
      .then((response) => writeWebResponse(response, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/problem+json' });
        res.end();
      });
  };
}
