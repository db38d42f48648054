import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { AppError } from '../../common/errors/app-error';
import type { Principal } from '../../auth/principal';
import type { QueueFeed } from '../feed/queue-feed';
import type { FeedState } from '../feed/queue-feed.types';
import { encodeRetry } from './sse-encoding';
import type { StreamHub } from './stream-hub';

/** How long a browser waits before reconnecting after a stream ends (shutdown, network). */
export const RECONNECT_DELAY_MS = 2000;
/** What one stream's pipe to its socket holds before the hub's own bound applies. */
const SINK_HIGH_WATER_MARK = 16 * 1024;

export interface OpenStreamRequest {
  principal: Principal;
  queueIds?: readonly string[];
  /** The Last-Event-ID header, else the `lastEventId` query parameter. */
  lastEventId?: unknown;
  reply: FastifyReply;
}

export interface QueueStreamLimits {
  maxPerKey: number;
}

/**
 * Opens one SSE stream: checks the caller's stream count and the queues asked for, then hands
 * the response to the hub with what the client lacks — the updates since its Last-Event-ID
 * when the replay buffer still has them, else a snapshot — and the upstream status if degraded.
 */
export class QueueStreamService {
  private closing = false;

  constructor(
    private readonly feed: QueueFeed,
    private readonly hub: StreamHub,
    private readonly limits: QueueStreamLimits,
  ) {}

  async open(request: OpenStreamRequest): Promise<void> {
    this.checkOpen(request.principal);
    const state = await this.feed.ready();
    // Re-checked: the wait for figures may have let other streams of this key in.
    this.checkOpen(request.principal);
    const queueIds = request.queueIds?.length ? canonicalIds(state, request.queueIds) : null;

    const missed = parseEventId(request.lastEventId);
    const updates = missed === undefined ? undefined : this.feed.updatesSince(missed);
    const status = this.feed.status;

    // A client that left while we waited for figures would never send its close again.
    const { reply } = request;
    const socket = reply.raw.socket;
    if (!socket || socket.destroyed) return;
    // The events go through a stream Fastify sends as the body (rather than a hijacked
    // response), so its hooks still run: request id, the audit line when the stream ends.
    const body = new PassThrough({ highWaterMark: SINK_HIGH_WATER_MARK });
    const subscriber = this.hub.add(request.principal.name, queueIds, body);
    const leave = (): void => {
      this.hub.remove(subscriber);
      body.destroy();
    };
    body.once('close', leave);
    reply.raw.once('close', leave);
    body.write(encodeRetry(RECONNECT_DELAY_MS));
    if (updates) this.hub.sendUpdates(subscriber, updates);
    else this.hub.sendSnapshot(subscriber, state);
    if (status?.upstream === 'degraded') this.hub.sendStatus(subscriber, status);
    // Not awaited: a reply is thenable and settles only when the stream ends.
    void reply
      .code(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-store')
      // Proxies (nginx) must pass events through as they come, not buffer them.
      .header('x-accel-buffering', 'no')
      .send(body);
  }

  /** Shutdown: no new streams; the open ones end so clients reconnect to another replica. */
  closeAll(): void {
    this.closing = true;
    this.hub.closeAll();
  }

  private checkOpen(principal: Principal): void {
    if (this.closing) {
      throw new AppError('SERVICE_UNAVAILABLE', 'This replica is shutting down', {
        retryAfterS: 1,
      });
    }
    if (this.hub.countFor(principal.name) >= this.limits.maxPerKey) {
      throw new AppError(
        'RATE_LIMITED',
        `The API key "${principal.name}" already has ${this.limits.maxPerKey} open queue streams ` +
          '(STREAM_MAX_PER_KEY); close one first',
        { retryAfterS: 30, extensions: { maxStreamsPerKey: this.limits.maxPerKey } },
      );
    }
  }
}

/** The requested ids as the figures spell them; an id no queue has is a 404 naming it. */
function canonicalIds(state: FeedState, requested: readonly string[]): string[] {
  const known = new Map(state.queues.map((q) => [q.queueId.toLowerCase(), q.queueId]));
  const missing = requested.filter((id) => !known.has(id.toLowerCase()));
  if (missing.length) {
    throw new AppError(
      'NOT_FOUND',
      `Queue${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found`,
      { extensions: { queueIds: missing } },
    );
  }
  return [...new Set(requested.map((id) => known.get(id.toLowerCase()) as string))];
}

/** A Last-Event-ID we could have issued; anything else just means "send a snapshot". */
function parseEventId(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,20}$/.test(text.trim())) return undefined;
  const id = Number(text.trim());
  return Number.isSafeInteger(id) ? id : undefined;
}
