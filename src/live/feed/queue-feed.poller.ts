import { Logger } from '@nestjs/common';
import type { Clock } from '../../common/clock/clock';
import { AppError } from '../../common/errors/app-error';
import type { QueueStatsEnvelope } from '../../reporting/queue-stats/queue-stats.flatten';
import { diffQueues } from './queue-diff';
import type { QueueFeed } from './queue-feed';
import type { FeedMessage, FeedState, FeedStatus, QueueFeedBus } from './queue-feed.types';

/** Where the poller gets the figures: every queue, every metric, fresh (never the cache). */
export type QueueSnapshotSource = () => Promise<QueueStatsEnvelope>;

export interface PollCounters {
  polled(result: 'ok' | 'error'): void;
}

export interface QueueFeedPollerOptions {
  feed: QueueFeed;
  bus: QueueFeedBus;
  fetchSnapshot: QueueSnapshotSource;
  clock: Clock;
  intervalMs: number;
  counters?: PollCounters;
}

/**
 * Polls CXone once per interval while anyone watches, on whichever replica holds the lease,
 * and publishes what changed. A replica that cannot reach the bus (Redis down) keeps its own
 * streams alive by polling for itself until the bus is back.
 */
export class QueueFeedPoller {
  private readonly logger = new Logger('QueueFeedPoller');
  private readonly stopped = new AbortController();
  private nap: AbortController | undefined;
  private leading = false;
  private lastPollAt = Number.NEGATIVE_INFINITY;
  private busFailing = false;
  private running: Promise<void> | undefined;

  private readonly feed: QueueFeed;
  private readonly bus: QueueFeedBus;
  private readonly fetchSnapshot: QueueSnapshotSource;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly counters: PollCounters;

  constructor(options: QueueFeedPollerOptions) {
    this.feed = options.feed;
    this.bus = options.bus;
    this.fetchSnapshot = options.fetchSnapshot;
    this.clock = options.clock;
    this.intervalMs = options.intervalMs;
    this.counters = options.counters ?? { polled: () => undefined };
    this.feed.onWait = () => this.wake();
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Polls now instead of at the end of the nap, unless the last poll is less than one interval old. */
  wake(): void {
    if (this.clock.now() - this.lastPollAt >= this.intervalMs) this.nap?.abort();
  }

  /**
   * Stops polling and hands the lease over (shutdown). A poll in flight is not waited for: it
   * may take up to the upstream deadline, longer than a drain may last.
   */
  async stop(): Promise<void> {
    this.stopped.abort();
    this.nap?.abort();
    if (this.leading) await this.bus.resign().catch(() => undefined);
    this.leading = false;
  }

  /** One round: lead or follow, poll when leading. Exposed for specs that step time. */
  async tick(): Promise<void> {
    if (!this.feed.hasDemand) {
      if (this.leading) await this.bus.resign().catch(() => undefined);
      this.leading = false;
      return;
    }
    const role = await this.role();
    if (role === 'follower') {
      this.leading = false;
      return;
    }
    // A replica that just became the poller (or polls alone) starts with a full state.
    const fresh = !this.leading;
    this.leading = true;
    await this.poll(fresh);
  }

  private async loop(): Promise<void> {
    while (!this.stopped.signal.aborted) {
      try {
        await this.tick();
      } catch (err) {
        this.logger.error({ err }, 'Queue feed round failed');
      }
      if (this.stopped.signal.aborted) return;
      this.nap = new AbortController();
      const wait = Math.max(0, this.lastPollAt + this.intervalMs - this.clock.now());
      await this.clock.sleep(wait || this.intervalMs, this.nap.signal).catch(() => undefined);
    }
  }

  private async role(): Promise<'leader' | 'follower' | 'solo'> {
    try {
      const leads = await this.bus.lead();
      if (this.busFailing) this.logger.log('Queue feed bus is back; one replica polls again');
      this.busFailing = false;
      return leads ? 'leader' : 'follower';
    } catch (err) {
      if (!this.busFailing) {
        this.logger.warn(
          `Queue feed bus unreachable, polling for this replica: ${(err as Error).message}`,
        );
      }
      this.busFailing = true;
      return 'solo';
    }
  }

  private async poll(fresh: boolean): Promise<void> {
    this.lastPollAt = this.clock.now();
    let snapshot: QueueStatsEnvelope;
    try {
      snapshot = await this.fetchSnapshot();
      this.counters.polled('ok');
    } catch (err) {
      this.counters.polled('error');
      const error = err instanceof AppError ? err : new AppError('INTERNAL', 'Queue poll failed');
      this.feed.failWaiters(error);
      await this.setHealth({ upstream: 'degraded', since: this.iso(), detail: error.message });
      return;
    }
    await this.setHealth({ upstream: 'ok', since: this.iso() });
    const previous = this.feed.state;
    const nextId = Math.max(this.clock.now(), (previous?.id ?? 0) + 1);
    if (fresh || !previous) {
      const shared = await this.bus.loadState().catch(() => null);
      const id = Math.max(nextId, (shared?.id ?? 0) + 1);
      const state: FeedState = { id, asOf: snapshot.asOf, queues: snapshot.queues };
      return this.send({ kind: 'reset', origin: this.bus.origin, state }, state);
    }
    const { changed, removed } = diffQueues(previous.queues, snapshot.queues);
    if (changed.length === 0 && removed.length === 0) {
      const state: FeedState = { ...previous, asOf: snapshot.asOf, queues: snapshot.queues };
      return this.send(
        { kind: 'tick', origin: this.bus.origin, id: previous.id, asOf: snapshot.asOf },
        state,
      );
    }
    const update = removed.length
      ? { id: nextId, asOf: snapshot.asOf, queues: changed, removed }
      : { id: nextId, asOf: snapshot.asOf, queues: changed };
    const state: FeedState = { id: nextId, asOf: snapshot.asOf, queues: snapshot.queues };
    await this.send(
      { kind: 'update', origin: this.bus.origin, previousId: previous.id, update },
      state,
    );
  }

  /** Publishes upstream health when it changes (every replica's streams show it). */
  private async setHealth(status: FeedStatus): Promise<void> {
    if (this.feed.status?.upstream === status.upstream) return;
    await this.send({ kind: 'status', origin: this.bus.origin, status });
  }

  /** Publishes; when the bus is down, at least this replica's streams get the message. */
  private async send(message: FeedMessage, state?: FeedState): Promise<void> {
    if (!this.busFailing) {
      try {
        await this.bus.publish(message, state);
        return;
      } catch (err) {
        this.logger.warn(`Could not publish a queue update: ${(err as Error).message}`);
      }
    }
    this.feed.apply(message);
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
