/**
 * Keep-alive connections after an early answer: the node adapter must leave the connection usable
 * (or close it), never hang it, whatever part of the body the handler did not read.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toExpressMiddleware } from '../src/http/adapters/express.js';
import { toNodeHandler } from '../src/http/adapters/node.js';
import { SERVER_KEY, grant, makeHandler } from './http-helpers.js';

/** One raw HTTP/1.1 connection: write requests, read whole responses (Content-Length framed). */
function rawConnection(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let buffer = Buffer.alloc(0);
  let closed = false;
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    wake();
  });
  socket.on('close', () => {
    closed = true;
    wake();
  });
  socket.on('error', () => {});
  const more = (deadline: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no complete response within 5 s; got ${buffer.toString('latin1').slice(0, 200)}`)), deadline - Date.now());
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  return {
    write: (data: string | Buffer) => new Promise<void>((resolve) => (socket.write(data) ? resolve() : socket.once('drain', resolve))),
    get closed() {
      return closed;
    },
    async response(): Promise<{ status: number; headers: Record<string, string>; body: string }> {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end >= 0) {
          const head = buffer.subarray(0, end).toString('latin1').split('\r\n');
          const headers = Object.fromEntries(head.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
          const length = Number(headers['content-length'] ?? 0);
          if (buffer.length >= end + 4 + length) {
            const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
            buffer = buffer.subarray(end + 4 + length);
            return { status: Number(head[0]!.split(' ')[1]), headers, body };
          }
        }
        if (closed) throw new Error('connection closed before a complete response');
        await more(deadline);
      }
    },
    close: () => socket.destroy(),
  };
}

const balanceRequest = `GET /v1/accounts/k1/balance HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${SERVER_KEY}\r\n\r\n`;

function post(path: string, body: Buffer | string, headers: Record<string, string>): string {
  const lines = Object.entries({ host: 'localhost', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

describe.each([
  ['toNodeHandler', (h: Parameters<typeof toNodeHandler>[0]) => toNodeHandler(h)],
  ['toExpressMiddleware', (h: Parameters<typeof toNodeHandler>[0]) => {
    const middleware = toExpressMiddleware(h);
    return (req: Parameters<ReturnType<typeof toNodeHandler>>[0], res: Parameters<ReturnType<typeof toNodeHandler>>[1]) =>
      middleware(req, res, () => res.writeHead(404).end());
  }],
] as const)('%s keeps a keep-alive connection usable after an early answer', (_name, adapt) => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const { handler } = makeHandler();
    await grant(handler, 'k1', 5);
    server = createServer(adapt(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const big = Buffer.alloc(300 * 1024, 0x20);
  const cases: Array<[string, () => Buffer | string, Record<string, string>, number, string]> = [
    ['413 by Content-Length (300 KB)', () => big, { authorization: `Bearer ${SERVER_KEY}`, 'content-type': 'application/json', 'idempotency-key': 'k-413', 'content-length': String(big.length) }, 413, 'PAYLOAD_TOO_LARGE'],
    ['415 with a body', () => 'amount=1', { authorization: `Bearer ${SERVER_KEY}`, 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'k-415', 'content-length': '8' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['401 for a wrong key with a 100 KB body', () => big.subarray(0, 100 * 1024), { authorization: 'Bearer sk_wrong', 'content-type': 'application/json', 'content-length': String(100 * 1024) }, 401, 'UNAUTHENTICATED'],
  ];

  it.each(cases)('%s, then answers the next request on the same socket', async (_label, body, headers, status, code) => {
    const conn = rawConnection(port);
    try {
      await conn.write(post('/v1/accounts/k1/consumptions', '', headers));
      const sending = conn.write(body());
      const first = await conn.response();
      expect(first.status).toBe(status);
      expect(first.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(first.body).code).toBe(code);
      await sending;
      await conn.write(balanceRequest);
      const second = await conn.response();
      expect(second.status).toBe(200);
      expect(JSON.parse(second.body).available).toBe(5);
    } finally {
      conn.close();
    }
  });

  it('413 for a chunked upload past the limit, then answers the next request on the same socket', async () => {
    const conn = rawConnection(port);
    try {
      await conn.write(post('/v1/accounts/k1/consumptions', '', { authorization: `Bearer ${SERVER_KEY}`, 'content-type': 'application/json', 'idempotency-key': 'k-chunked', 'transfer-encoding': 'chunked' }));
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      for (let i = 0; i < 10; i++) await conn.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
      await conn.write('0\r\n\r\n');
      const first = await conn.response();
      expect(first.status).toBe(413);
      await conn.write(balanceRequest);
      expect((await conn.response()).status).toBe(200);
    } finally {
      conn.close();
    }
  });
});

describe('toNodeHandler answers its own errors as problem+json', () => {
  it('a malformed Host header is 400 problem+json, and the connection goes on', async () => {
    const { handler } = makeHandler();
    const server = createServer(toNodeHandler(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const conn = rawConnection((server.address() as AddressInfo).port);
    try {
      await conn.write(`GET /v1/packages HTTP/1.1\r\nHost: exa mple^:99999\r\nAuthorization: Bearer ${SERVER_KEY}\r\n\r\n`);
      const res = await conn.response();
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(res.body).code).toBe('VALIDATION_FAILED');
    } finally {
      conn.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
