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
 * An incremental `text/event-stream` parser. Feed the function it returns decoded text chunks in any
 * split (a line, even a `\r\n` pair, may straddle two chunks); it calls `onEvent` for each complete
 * event and `onRetry` for `retry:` fields. Comment lines (`: heartbeat`) are ignored. State lives in
 * the closure, which minifies to one-letter names: this ships in every browser bundle.
 */
export function createSSEParser(
  onEvent: (event: SSEEvent) => void,
  onRetry?: (ms: number) => void,
  lastEventId?: string,
): (chunk: string) => void {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let sawCR = false;
  return (chunk) => {
    // A `\n` right after a `\r` that ended the previous chunk belongs to that line ending.
    if (sawCR && chunk[0] === '\n') chunk = chunk.slice(1);
    sawCR = chunk.endsWith('\r');
    const lines = (buffer + chunk).split(/\r\n|[\r\n]/);
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line === '') {
        // A blank line dispatches the event, if it has data.
        if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n'), id: lastEventId });
        data = [];
        event = '';
        continue;
      }
      // `field: value`, `field:value` or a bare `field`; a comment (`: heartbeat`) has the empty field.
      const [, field, value] = /^([^:]*):? ?(.*)/s.exec(line)!;
      if (field === 'data') data.push(value!);
      else if (field === 'event') event = value!;
      else if (field === 'id') {
        if (!value!.includes('\0')) lastEventId = value;
      } else if (field === 'retry') {
        if (/^\d+$/.test(value!)) onRetry?.(Number(value));
      }
    }
  };
}
