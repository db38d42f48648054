import { Logger } from '@nestjs/common';
import type { QueueStatsRow } from '../../reporting/queue-stats/queue-stats.flatten';
import type { Clock } from '../../common/clock/clock';
import type { FeedState, FeedStatus, FeedUpdate } from '../feed/queue-feed.types';
import { encodeComment, encodeEvent } from './sse-encoding';

/** What the hub writes to: an HTTP response in production, any Writable in specs. */
export interface StreamSink {
  write(chunk: Buffer): boolean;
  /** Bytes accepted but not yet handed to the client (the response's and its socket's). */
  readonly writableLength: number;
  end(): void;
  destroy(): void;
}

export interface StreamHubOptions {
  heartbeatMs: number;
  /** A subscriber whose unsent bytes would pass this is dropped instead of buffered. */
  maxBufferedBytes: number;
}

export interface Subscriber {
  readonly id: number;
  /** The API key's name (per-key stream caps). */
  readonly keyName: string;
  /** Queue ids asked for; null for every queue. */
  readonly queueIds: ReadonlySet<string> | null;
  /** Subscribers with the same filter share one encoded buffer per event. */
  readonly filterKey: string;
  readonly sink: StreamSink;
}

export interface HubCounters {
  dropped(): void;
}

/**
 * Every open stream of this replica and the one heartbeat that serves them all. Each event is
 * encoded once per distinct queue filter and the same buffer written to every subscriber with
 * that filter; a subscriber that does not read is dropped before its buffer passes the bound.
 */
export class StreamHub {
  private readonly logger = new Logger('QueueStream');
  private readonly subscribers = new Set<Subscriber>();
  private readonly perKey = new Map<string, number>();
  private nextId = 1;
  private readonly stopHeartbeat = new AbortController();
  private heartbeatRunning = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: StreamHubOptions,
    private readonly counters: HubCounters = { dropped: () => undefined },
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  countFor(keyName: string): number {
    return this.perKey.get(keyName) ?? 0;
  }

  add(keyName: string, queueIds: readonly string[] | null, sink: StreamSink): Subscriber {
    const filter = queueIds && queueIds.length ? new Set(queueIds) : null;
    const subscriber: Subscriber = {
      id: this.nextId++,
      keyName,
      queueIds: filter,
      filterKey: filter ? [...filter].sort().join(',') : '',
      sink,
    };
    this.subscribers.add(subscriber);
    this.perKey.set(keyName, this.countFor(keyName) + 1);
    this.startHeartbeat();
    return subscriber;
  }

  remove(subscriber: Subscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    const left = this.countFor(subscriber.keyName) - 1;
    if (left > 0) this.perKey.set(subscriber.keyName, left);
    else this.perKey.delete(subscriber.keyName);
  }

  /** The figures of one subscriber's queues, as a `snapshot` event. */
  sendSnapshot(subscriber: Subscriber, state: FeedState): void {
    this.write(subscriber, this.snapshotEvent(state, subscriber.queueIds), true);
  }

  /** Missed updates (from the replay buffer) for one subscriber. */
  sendUpdates(subscriber: Subscriber, updates: readonly FeedUpdate[]): void {
    for (const update of updates) {
      const chunk = this.updateEvent(update, subscriber.queueIds);
      if (chunk) this.write(subscriber, chunk);
    }
  }

  sendStatus(subscriber: Subscriber, status: FeedStatus): void {
    this.write(subscriber, encodeEvent({ event: 'status', data: status }));
  }

  broadcastSnapshot(state: FeedState): void {
    this.fanOut((filter) => this.snapshotEvent(state, filter));
  }

  broadcastUpdate(update: FeedUpdate): void {
    this.fanOut((filter) => this.updateEvent(update, filter));
  }

  broadcastStatus(status: FeedStatus): void {
    const chunk = encodeEvent({ event: 'status', data: status });
    this.fanOut(() => chunk);
  }

  /** Ends every stream (shutdown); clients reconnect after their retry delay, elsewhere. */
  closeAll(): void {
    this.stopHeartbeat.abort();
    for (const subscriber of [...this.subscribers]) {
      this.remove(subscriber);
      subscriber.sink.end();
    }
  }

  private snapshotEvent(state: FeedState, filter: ReadonlySet<string> | null): Buffer {
    const queues = filter ? state.queues.filter((q) => filter.has(q.queueId)) : state.queues;
    return encodeEvent({ event: 'snapshot', id: state.id, data: { asOf: state.asOf, queues } });
  }

  /** The update as one filter sees it; undefined when none of its queues changed. */
  private updateEvent(update: FeedUpdate, filter: ReadonlySet<string> | null): Buffer | undefined {
    const queues: QueueStatsRow[] = filter
      ? update.queues.filter((q) => filter.has(q.queueId))
      : update.queues;
    const removed = filter ? update.removed?.filter((id) => filter.has(id)) : update.removed;
    if (queues.length === 0 && !removed?.length) return undefined;
    const data = removed?.length
      ? { asOf: update.asOf, queues, removed }
      : { asOf: update.asOf, queues };
    return encodeEvent({ event: 'update', id: update.id, data });
  }

  /** Encodes once per distinct filter (every-queue subscribers share one buffer). */
  private fanOut(encode: (filter: ReadonlySet<string> | null) => Buffer | undefined): void {
    const byFilter = new Map<string, Buffer | undefined>();
    for (const subscriber of [...this.subscribers]) {
      const key = subscriber.filterKey;
      if (!byFilter.has(key)) byFilter.set(key, encode(subscriber.queueIds));
      const chunk = byFilter.get(key);
      if (chunk) this.write(subscriber, chunk);
    }
  }

  /**
   * Writes unless the subscriber's unsent bytes would pass the bound, in which case it is
   * dropped: a client that stopped reading must not make this process hold ever more memory.
   * The first event (the snapshot) is always written whatever its size.
   */
  private write(subscriber: Subscriber, chunk: Buffer, first = false): void {
    if (!this.subscribers.has(subscriber)) return;
    const pending = subscriber.sink.writableLength;
    if (!first && pending + chunk.length > this.options.maxBufferedBytes) {
      this.remove(subscriber);
      this.counters.dropped();
      this.logger.warn(
        `Dropped a stream of "${subscriber.keyName}" that stopped reading (${pending} bytes unsent)`,
      );
      subscriber.sink.destroy();
      return;
    }
    subscriber.sink.write(chunk);
  }

  /** One loop for all streams, on the injected clock: a comment every heartbeatMs. */
  private startHeartbeat(): void {
    if (this.heartbeatRunning || this.stopHeartbeat.signal.aborted) return;
    this.heartbeatRunning = true;
    const beat = encodeComment('heartbeat');
    const loop = async (): Promise<void> => {
      while (!this.stopHeartbeat.signal.aborted) {
        await this.clock.sleep(this.options.heartbeatMs, this.stopHeartbeat.signal);
        this.fanOut(() => beat);
      }
    };
    loop().catch(() => {
      // Aborted at shutdown: nothing left to beat for.
      this.heartbeatRunning = false;
    });
  }
}
