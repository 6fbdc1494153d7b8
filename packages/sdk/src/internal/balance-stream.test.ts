import { describe, expect, it, vi } from 'vitest';
import { AuthenticationError } from '../errors.js';
import { createCreditsClient } from '../index.js';
import type { Balance } from '../types.js';

const enc = new TextEncoder();
const balance = (available: number, version: number) => ({ accountId: 'acct_1', available, held: 0, deficit: 0, grants: [], version, updatedAt: '2026-01-01T00:00:00Z' });

/** A streaming response whose chunks are pushed by the test; `end()` drops the connection. */
function controllableStream(signal?: AbortSignal | null) {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
  signal?.addEventListener('abort', () => {
    try {
      ctrl.error(signal.reason);
    } catch {
      // already closed
    }
  });
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    push: (text: string) => ctrl.enqueue(enc.encode(text)),
    end: () => ctrl.close(),
  };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(cond()).toBe(true);
};

describe('balance.subscribe', () => {
  it('delivers balances, reconnects after the stream drops with Last-Event-ID, and unsubscribes by aborting', async () => {
    const streams: ReturnType<typeof controllableStream>[] = [];
    const requests: { headers: Headers; signal: AbortSignal | null | undefined }[] = [];
    const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
      requests.push({ headers: new Headers(init?.headers), signal: init?.signal });
      const s = controllableStream(init?.signal);
      streams.push(s);
      return s.response;
    }) as unknown as typeof globalThis.fetch;
    const client = createCreditsClient({ baseUrl: 'https://api.test', apiKey: 'sk_1', fetch });
    const seen: Balance[] = [];
    const statuses: string[] = [];
    const unsubscribe = client.balance.subscribe('me', (b) => seen.push(b), { retryMs: 5, onStatus: (s) => statuses.push(s) });

    await until(() => streams.length === 1);
    expect(vi.mocked(fetch).mock.calls[0]![0]).toBe('https://api.test/v1/accounts/me/balance/stream');
    expect(requests[0]!.headers.get('accept')).toBe('text/event-stream');
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer sk_1');
    expect(requests[0]!.headers.get('last-event-id')).toBeNull();
    // One event split mid-line across chunks, then a heartbeat.
    const evt = `id: 41\nevent: balance\ndata: ${JSON.stringify(balance(100, 41))}\n\n`;
    streams[0]!.push(evt.slice(0, 20));
    streams[0]!.push(evt.slice(20));
    streams[0]!.push(': heartbeat\n\n');
    await until(() => seen.length === 1);
    expect(seen[0]!.available).toBe(100);

    streams[0]!.end();
    await until(() => streams.length === 2);
    expect(requests[1]!.headers.get('last-event-id')).toBe('41');
    streams[1]!.push(`id: 42\nevent: balance\ndata: ${JSON.stringify(balance(90, 42))}\n\n`);
    await until(() => seen.length === 2);
    expect(seen[1]!.available).toBe(90);

    unsubscribe();
    expect(requests[1]!.signal?.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(streams).toHaveLength(2);
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting', 'open', 'closed']);
  });

  it('reconnects after a network error and reports it to onError', async () => {
    let n = 0;
    const fetch = vi.fn(async () => {
      if (n++ === 0) throw new TypeError('fetch failed');
      const s = controllableStream();
      s.push(`id: 1\ndata: ${JSON.stringify(balance(5, 1))}\n\n`);
      return s.response;
    }) as unknown as typeof globalThis.fetch;
    const errors: unknown[] = [];
    const seen: Balance[] = [];
    const unsubscribe = createCreditsClient({ baseUrl: 'https://api.test', fetch }).balance.subscribe('me', (b) => seen.push(b), {
      retryMs: 5,
      onError: (e) => errors.push(e),
    });
    await until(() => seen.length === 1);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).name).toBe('CreditsConnectionError');
    unsubscribe();
  });

  it('stops on a non-retryable 401 and reports closed', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ code: 'UNAUTHENTICATED' }), { status: 401 })) as unknown as typeof globalThis.fetch;
    const errors: unknown[] = [];
    const statuses: string[] = [];
    createCreditsClient({ baseUrl: 'https://api.test', fetch }).balance.subscribe('me', () => {}, {
      retryMs: 1,
      onError: (e) => errors.push(e),
      onStatus: (s) => statuses.push(s),
    });
    await until(() => statuses.includes('closed'));
    await new Promise((r) => setTimeout(r, 20));
    expect(errors[0]).toBeInstanceOf(AuthenticationError);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('an aborted signal option unsubscribes', async () => {
    const streams: ReturnType<typeof controllableStream>[] = [];
    const fetch = vi.fn(async (_u: unknown, init?: RequestInit) => {
      const s = controllableStream(init?.signal);
      streams.push(s);
      return s.response;
    }) as unknown as typeof globalThis.fetch;
    const controller = new AbortController();
    const statuses: string[] = [];
    createCreditsClient({ baseUrl: 'https://api.test', fetch }).balance.subscribe('me', () => {}, {
      signal: controller.signal,
      onStatus: (s) => statuses.push(s),
    });
    await until(() => streams.length === 1);
    controller.abort();
    expect(statuses.at(-1)).toBe('closed');
  });
});

describe('balance.subscribe robustness', () => {
  it('drops half an event from a dropped stream and survives a throwing listener', async () => {
    const streams: ReturnType<typeof controllableStream>[] = [];
    const fetch = vi.fn(async (_u: unknown, init?: RequestInit) => {
      const s = controllableStream(init?.signal);
      streams.push(s);
      return s.response;
    }) as unknown as typeof globalThis.fetch;
    const seen: number[] = [];
    const errors: unknown[] = [];
    const unsubscribe = createCreditsClient({ baseUrl: 'https://api.test', fetch }).balance.subscribe(
      'me',
      (b) => {
        seen.push(b.available);
        if (b.available === 1) throw new Error('listener bug');
      },
      { retryMs: 1, onError: (e) => errors.push(e) },
    );
    await until(() => streams.length === 1);
    streams[0]!.push(`id: 1\ndata: ${JSON.stringify(balance(1, 1))}\n\n`);
    streams[0]!.push('id: 2\ndata: {"availa');
    streams[0]!.end();
    await until(() => streams.length === 2);
    streams[1]!.push(`data: ${JSON.stringify(balance(3, 3))}\n\n`);
    await until(() => seen.length === 2);
    expect(seen).toEqual([1, 3]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['listener bug']);
    unsubscribe();
  });
});

describe('balance.subscribe idle watchdog', () => {
  it('reconnects when a stream goes silent for idleTimeoutMs', async () => {
    const streams: ReturnType<typeof controllableStream>[] = [];
    const fetch = vi.fn(async (_u: unknown, init?: RequestInit) => {
      const s = controllableStream(init?.signal);
      streams.push(s);
      return s.response;
    }) as unknown as typeof globalThis.fetch;
    const unsubscribe = createCreditsClient({ baseUrl: 'https://api.test', fetch }).balance.subscribe('me', () => {}, {
      retryMs: 1,
      idleTimeoutMs: 20,
    });
    await until(() => streams.length === 1);
    streams[0]!.push(': heartbeat\n\n');
    await until(() => streams.length === 2);
    unsubscribe();
  });
});
