import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedWebhook {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Raw body text, exactly as received (what the signature covers). */
  body: string;
  /** HTTP status the receiver answered with. */
  answeredWith: number;
  receivedAt: number;
}

export interface WebhookReceiverOptions {
  /** Answer the first N requests with `failStatus` (default 0). */
  failFirst?: number;
  /** Status for the failed ones; default 503. */
  failStatus?: number;
  /** Status for the others; default 204. */
  okStatus?: number;
  /** Extra headers on every answer (e.g. a Location for a 3xx, Retry-After). */
  headers?: Record<string, string>;
  /** Delay before answering, ms (e.g. to outlast the sender's timeout). */
  delayMs?: number;
  /** Answer only once this settles: a slow endpoint the test releases when it wants. */
  holdUntil?: Promise<unknown>;
}

export interface WebhookReceiver {
  /** Base URL, e.g. http://127.0.0.1:51234 */
  url: string;
  port: number;
  /** `127.0.0.1:<port>`, ready for WEBHOOK_ALLOWED_HOSTS. */
  hostPort: string;
  requests: ReceivedWebhook[];
  /** Replaces the behaviour for the next requests (the failure count restarts). */
  configure(options: WebhookReceiverOptions): void;
  /** Resolves once `count` requests have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** A tiny HTTP server on port 0 that records every request, for webhook tests. */
export async function startWebhookReceiver(
  initial: WebhookReceiverOptions = {},
): Promise<WebhookReceiver> {
  let options = initial;
  let failuresLeft = initial.failFirst ?? 0;
  const requests: ReceivedWebhook[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const failing = failuresLeft > 0;
      if (failing) failuresLeft -= 1;
      const status = failing ? (options.failStatus ?? 503) : (options.okStatus ?? 204);
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answeredWith: status,
        receivedAt: Date.now(),
      });
      for (const w of waiters.filter((w) => requests.length >= w.count)) w.resolve();
      const answer = (): void => {
        res.writeHead(status, options.headers ?? {});
        res.end();
      };
      if (options.holdUntil) void options.holdUntil.then(answer, answer);
      else if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hostPort: `127.0.0.1:${port}`,
    requests,
    configure(next) {
      options = next;
      failuresLeft = next.failFirst ?? 0;
    },
    waitFor(count, timeoutMs = 5000) {
      if (requests.length >= count) return Promise.resolve(requests.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} webhook(s), got ${requests.length}`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(requests.slice());
          },
        });
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
