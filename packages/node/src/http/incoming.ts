/**
 * What the pipeline reads of a request: its line, its headers and, when the operation has one,
 * its body. A fetch-standard `Request` is one (see {@link fromWebRequest}); a server adapter can
 * hand over its own request without building a `Request` and a body stream first, which in Node
 * cost more than routing, validating and answering the request together (the node adapter does,
 * through `handler.handle`).
 * @module
 */
import { HttpProblem } from './problem.js';

/** Reads request headers by name, case-insensitively, like `Headers.get`. */
export interface HeaderReader {
  /** The header's value (repeated headers joined with `, `), or `null` when absent. */
  get(name: string): string | null;
}

/** A request as the handler's pipeline reads it. */
export interface IncomingRequest {
  /** The method, upper case. */
  readonly method: string;
  /** The absolute URL. */
  readonly url: string;
  /**
   * `url`, already parsed, when the adapter parsed it anyway (the node adapter does, to answer a
   * malformed Host itself): the pipeline then reads it instead of parsing `url` a second time.
   * It must be `new URL(url)`.
   */
  readonly parsedUrl?: URL;
  /** The headers; names are case-insensitive. */
  readonly headers: HeaderReader;
  /**
   * The body bytes (empty when there is none). Rejects with `413 PAYLOAD_TOO_LARGE` past
   * `maxBytes`, checked on `Content-Length` before reading and again on the bytes read.
   */
  readBody(maxBytes: number): Promise<Uint8Array>;
  /**
   * The request as a fetch-standard `Request`, for `identify` and rate-limit functions. From a
   * server adapter it carries the line and the headers but no body: the handler reads the body
   * itself. Built on first use, once.
   */
  toRequest(): Request;
}

/** The `413` of a body over `maxBytes`. */
export function payloadTooLarge(maxBytes: number): HttpProblem {
  return new HttpProblem('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`);
}

/** Joins byte chunks into one array. */
export function concatBytes(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** A fetch-standard `Request` as an {@link IncomingRequest}: `toRequest` is the request itself. */
export function fromWebRequest(request: Request): IncomingRequest {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    toRequest: () => request,
    async readBody(maxBytes) {
      const declared = request.headers.get('content-length');
      if (declared !== null && Number(declared) > maxBytes) throw payloadTooLarge(maxBytes);
      if (!request.body) return new Uint8Array(0);
      const reader = request.body.getReader();
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel().catch(() => {});
          throw payloadTooLarge(maxBytes);
        }
        chunks.push(value);
      }
      return concatBytes(chunks, total);
    },
  };
}

/** Whether `value` is an {@link IncomingRequest} rather than a fetch-standard `Request`. */
export function isIncomingRequest(value: Request | IncomingRequest): value is IncomingRequest {
  return typeof (value as Partial<IncomingRequest>).readBody === 'function';
}
