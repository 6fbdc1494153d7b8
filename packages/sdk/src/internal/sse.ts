/** One Server-Sent Event, as dispatched by the HTML living standard's parsing rules. */
export interface SSEEvent {
  /** `event:` field, `message` when absent. */
  event: string;
  /** `data:` lines joined with `\n`. */
  data: string;
  /** The last event id seen on the stream so far (it persists across events). */
  id: string | undefined;
}

/**
 * An incremental `text/event-stream` parser. Feed it decoded text chunks in any split (a line,
 * even a `\r\n` pair, may straddle two chunks); it calls `onEvent` for each complete event and
 * `onRetry` for `retry:` fields. Comment lines (`: heartbeat`) are ignored.
 */
export class SSEParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private lastId: string | undefined;
  private sawCR = false;

  constructor(
    private readonly onEvent: (event: SSEEvent) => void,
    private readonly onRetry?: (ms: number) => void,
    lastEventId?: string,
  ) {
    this.lastId = lastEventId;
  }

  /** Parses a chunk of decoded text. */
  push(chunk: string): void {
    // A `\n` right after a `\r` that ended the previous chunk belongs to that line ending.
    if (this.sawCR && chunk.startsWith('\n')) chunk = chunk.slice(1);
    let text = this.buffer + chunk;
    this.sawCR = false;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      this.line(text.slice(start, i));
      if (ch === 13) {
        if (i + 1 === text.length) this.sawCR = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    text = text.slice(start);
    this.buffer = text;
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') {
      if (!value.includes('\0')) this.lastId = value;
    } else if (field === 'retry') {
      if (/^\d+$/.test(value)) this.onRetry?.(Number(value));
    }
  }

  private dispatch(): void {
    const { data, event } = this;
    this.data = [];
    this.event = '';
    if (data.length === 0) return;
    this.onEvent({ event: event || 'message', data: data.join('\n'), id: this.lastId });
  }
}
