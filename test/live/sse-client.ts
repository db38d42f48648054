import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';

/** One parsed server-sent event (comments are kept apart). */
export interface SseMessage {
  event: string;
  id?: string;
  data: string;
}

export interface QueueRow {
  queueId: string;
  queueName: string;
  timestamp: string | null;
  [metric: string]: string | number | null;
}

export interface StreamData {
  asOf: string;
  queues: QueueRow[];
  removed?: string[];
}

/**
 * A minimal EventSource for specs: parses the stream as it arrives and lets a test wait for the
 * next event (or comment) that matches, failing after `timeoutMs` with what it did see.
 */
export class SseClient {
  readonly events: SseMessage[] = [];
  readonly comments: string[] = [];
  retryMs?: number;
  ended = false;
  private buffer = '';
  private waiters: (() => void)[] = [];
  private cursor = 0;

  private constructor(
    readonly response: IncomingMessage,
    private readonly req: ClientRequest,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.feed(chunk));
    response.on('end', () => this.finish());
    response.on('close', () => this.finish());
  }

  /** Opens `url`; resolves once the response head arrives (any status). */
  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } });
      req.once('response', (res) => resolve(new SseClient(res, req)));
      req.once('error', reject);
      req.end();
    });
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  /** The body of a non-stream answer (a problem document). */
  async text(): Promise<string> {
    await this.waitUntil(() => this.ended, 5000, 'end of body');
    return this.buffer;
  }

  /** The next event not yet taken that matches; events before it are skipped. */
  async next(
    match: (e: SseMessage) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<SseMessage> {
    let found: SseMessage | undefined;
    await this.waitUntil(
      () => {
        while (this.cursor < this.events.length) {
          const e = this.events[this.cursor++];
          if (match(e)) {
            found = e;
            return true;
          }
        }
        return false;
      },
      timeoutMs,
      'a matching event',
    );
    return found as SseMessage;
  }

  async waitForComments(count: number, timeoutMs = 10_000): Promise<void> {
    await this.waitUntil(() => this.comments.length >= count, timeoutMs, `${count} comments`);
  }

  async waitForEnd(timeoutMs = 10_000): Promise<void> {
    await this.waitUntil(() => this.ended, timeoutMs, 'the stream to end');
  }

  close(): void {
    this.req.destroy();
  }

  private waitUntil(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(
          new Error(
            `timed out waiting for ${what}; events: ${JSON.stringify(this.events.map((e) => e.event))}`,
          ),
        );
      }, timeoutMs);
      const check = (): void => {
        if (!ready()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  private feed(chunk: string): void {
    if (this.status !== 200) {
      this.buffer += chunk;
      return;
    }
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.parse(block);
    }
    this.notify();
  }

  private parse(block: string): void {
    const message: SseMessage = { event: 'message', data: '' };
    const data: string[] = [];
    let hasField = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      hasField = true;
      if (name === 'event') message.event = value;
      else if (name === 'id') message.id = value;
      else if (name === 'data') data.push(value);
      else if (name === 'retry') this.retryMs = Number(value);
    }
    if (!hasField || data.length === 0) return;
    message.data = data.join('\n');
    this.events.push(message);
  }

  private finish(): void {
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

export function dataOf(e: SseMessage): StreamData {
  return JSON.parse(e.data) as StreamData;
}
