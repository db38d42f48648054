/**
 * Server-sent events framing (the WHATWG `text/event-stream` format), encoded once per event so
 * the same buffer can be written to every subscriber that gets it.
 */

/** A field value may not hold a line break: each line of a multi-line value is its own field. */
function field(name: string, value: string): string {
  return value
    .split(/\r\n|\r|\n/)
    .map((line) => `${name}: ${line}\n`)
    .join('');
}

export interface SseEvent {
  event: string;
  data: unknown;
  /** Omitted for events that must not move the client's Last-Event-ID (status). */
  id?: number;
}

export function encodeEvent({ event, data, id }: SseEvent): Buffer {
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return Buffer.from(`${idLine}${field('event', event)}${field('data', JSON.stringify(data))}\n`);
}

/** A comment line: ignored by EventSource, but it keeps proxies from timing the stream out. */
export function encodeComment(text: string): Buffer {
  return Buffer.from(`: ${text.replace(/[\r\n]+/g, ' ')}\n\n`);
}

/** How long an EventSource waits before reconnecting after the stream ends. */
export function encodeRetry(ms: number): Buffer {
  return Buffer.from(`retry: ${Math.max(0, Math.round(ms))}\n\n`);
}
