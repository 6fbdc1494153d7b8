import { describe, expect, it } from 'vitest';
import { createSSEParser, type SSEEvent } from './sse.js';

function parse(chunks: string[]) {
  const events: SSEEvent[] = [];
  const retries: number[] = [];
  const push = createSSEParser((e) => events.push(e), (ms) => retries.push(ms));
  for (const c of chunks) push(c);
  return { events, retries };
}

describe('createSSEParser', () => {
  it('parses event, id and data, and defaults the event name to message', () => {
    const { events } = parse(['id: 42\nevent: balance\ndata: {"available":1}\n\ndata: plain\n\n']);
    expect(events).toEqual([
      { event: 'balance', data: '{"available":1}', id: '42' },
      { event: 'message', data: 'plain', id: '42' },
    ]);
  });

  it('joins multi-line data with newlines', () => {
    const { events } = parse(['data: line one\ndata: line two\ndata:no-space\n\n']);
    expect(events[0]!.data).toBe('line one\nline two\nno-space');
  });

  it('ignores comments and heartbeats, and events without data', () => {
    const { events } = parse([': heartbeat\n\n:another\nevent: balance\n\nid: 7\ndata: x\n\n']);
    expect(events).toEqual([{ event: 'message', data: 'x', id: '7' }]);
  });

  it('handles lines and CRLF pairs split across chunk boundaries', () => {
    const text = 'id: 1\r\nevent: balance\r\ndata: {"a":\r\ndata: 2}\r\n\r\nid: 2\rdata: b\r\r';
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const { events } = parse(chunks);
      expect(events, `chunk size ${size}`).toEqual([
        { event: 'balance', data: '{"a":\n2}', id: '1' },
        { event: 'message', data: 'b', id: '2' },
      ]);
    }
  });

  it('keeps an incomplete trailing event until its blank line arrives', () => {
    const events: SSEEvent[] = [];
    const push = createSSEParser((e) => events.push(e));
    push('data: partial');
    push('\n');
    expect(events).toHaveLength(0);
    push('\n');
    expect(events).toEqual([{ event: 'message', data: 'partial', id: undefined }]);
  });

  it('reports retry fields and ignores invalid ones', () => {
    const { retries } = parse(['retry: 2500\nretry: soon\n\n']);
    expect(retries).toEqual([2500]);
  });

  it('keeps the last event id across events and starts from the given one', () => {
    const events: SSEEvent[] = [];
    const push = createSSEParser((e) => events.push(e), undefined, '9');
    push('data: a\n\nid: 10\ndata: b\n\ndata: c\n\n');
    expect(events.map((e) => e.id)).toEqual(['9', '10', '10']);
  });
});
