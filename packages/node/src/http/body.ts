/**
 * Reading request bodies with a size limit. The limit is checked on `Content-Length` first (cheap
 * rejection) and again while counting the streamed bytes, because the header can be absent
 * (chunked encoding) or lie.
 * @module
 */
import type { IncomingRequest } from './incoming.js';
import { HttpProblem } from './problem.js';

/** Reads the body as UTF-8 text, failing with `413 PAYLOAD_TOO_LARGE` past `maxBytes`. */
export async function readBodyText(request: IncomingRequest, maxBytes: number): Promise<string> {
  const bytes = await request.readBody(maxBytes);
  return bytes.byteLength === 0 ? '' : new TextDecoder().decode(bytes);
}

function isJsonType(contentType: string): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * Reads and parses a JSON body. An absent body yields `undefined`. A body of another media type
 * is `415`, text that is not JSON is `400 MALFORMED_JSON`.
 */
export async function readJsonBody(request: IncomingRequest, maxBytes: number): Promise<unknown> {
  const contentType = request.headers.get('content-type');
  if (contentType !== null && contentType.trim() !== '' && !isJsonType(contentType)) {
    // Drain nothing: reject before reading, the client is told what to send instead.
    throw new HttpProblem('UNSUPPORTED_MEDIA_TYPE', `Send the body as application/json, not ${contentType.slice(0, 100)}.`);
  }
  const text = await readBodyText(request, maxBytes);
  if (text.trim() === '') return undefined;
  if (contentType === null || contentType.trim() === '') {
    throw new HttpProblem('UNSUPPORTED_MEDIA_TYPE', 'Send the body with Content-Type: application/json.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpProblem('MALFORMED_JSON', `The body is not valid JSON: ${(error as Error).message}`);
  }
  // Postgres text cannot hold U+0000; refuse it here as a 400 instead of failing in the database.
  if (text.includes('\\u0000') && containsNul(value)) {
    throw new HttpProblem('VALIDATION_FAILED', 'Strings must not contain the NUL character (\\u0000).', {
      errors: [{ path: '/', message: 'must not contain \\u0000' }],
    });
  }
  return value;
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\0') || containsNul(v));
  return false;
}
