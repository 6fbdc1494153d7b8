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
  // Private names (`#`) so that minifiers shorten them: this class ships in every browser bundle.
  #buffer = '';
  #data: string[] = [];
  #event = '';
  #lastId: string | undefined;
  #sawCR = false;
  readonly #onEvent: (event: SSEEvent) => void;
  readonly #onRetry: ((ms: number) => void) | undefined;

  constructor(onEvent: (event: SSEEvent) => void, onRetry?: (ms: number) => void, lastEventId?: string) {
    this.#onEvent = onEvent;
    this.#onRetry = onRetry;
    this.#lastId = lastEventId;
  }

  /** Parses a chunk of decoded text. */
  push(chunk: string): void {
    // A `\n` right after a `\r` that ended the previous chunk belongs to that line ending.
    if (this.#sawCR && chunk[0] === '\n') chunk = chunk.slice(1);
    this.#sawCR = chunk.endsWith('\r');
    const lines = (this.#buffer + chunk).split(/\r\n|[\r\n]/);
    this.#buffer = lines.pop()!;
    for (const line of lines) this.#line(line);
  }

  #line(line: string): void {
    if (line === '') return this.#dispatch();
    // `field: value`, `field:value` or a bare `field`; a comment (`: heartbeat`) has the empty field.
    const [, field, value] = /^([^:]*):? ?(.*)/s.exec(line)!;
    if (field === 'data') this.#data.push(value!);
    else if (field === 'event') this.#event = value!;
    else if (field === 'id') {
      if (!value!.includes('\0')) this.#lastId = value;
    } else if (field === 'retry') {
      if (/^\d+$/.test(value!)) this.#onRetry?.(Number(value));
    }
  }

  #dispatch(): void {
    const data = this.#data;
    const event = this.#event;
    this.#data = [];
    this.#event = '';
    if (data.length > 0) this.#onEvent({ event: event || 'message', data: data.join('\n'), id: this.#lastId });
  }
}
