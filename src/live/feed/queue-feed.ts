import { Logger } from '@nestjs/common';
import type { Clock } from '../../common/clock/clock';
import { AppError } from '../../common/errors/app-error';
import type { StreamHub } from '../stream/stream-hub';
import { applyQueueChanges } from './queue-diff';
import type {
  FeedMessage,
  FeedState,
  FeedStatus,
  FeedUpdate,
  QueueFeedBus,
} from './queue-feed.types';
import { ReplayBuffer } from './replay-buffer';

interface Waiter {
  resolve(state: FeedState): void;
  reject(error: AppError): void;
}

/**
 * This replica's copy of the shared queue figures: the state, the replay buffer and upstream
 * health, kept current from the bus (whichever replica polls) and pushed to the local streams.
 * A missed message (a gap in ids) is repaired from the shared state, and the streams get a
 * fresh snapshot instead of a delta they could not apply.
 */
export class QueueFeed {
  private readonly logger = new Logger('QueueFeed');
  private current: FeedState | null = null;
  private health: FeedStatus | null = null;
  private readonly replay: ReplayBuffer;
  private waiters: Waiter[] = [];
  private resyncing = false;
  private readonly waitMs: number;

  constructor(
    private readonly bus: QueueFeedBus,
    private readonly hub: StreamHub,
    private readonly clock: Clock,
    options: { replayCapacity: number; waitMs: number },
  ) {
    this.waitMs = options.waitMs;
    this.replay = new ReplayBuffer(options.replayCapacity);
    bus.onMessage((message) => this.apply(message));
  }

  get state(): FeedState | null {
    return this.current;
  }

  get status(): FeedStatus | null {
    return this.health;
  }

  /** Streams are open here, or someone waits for the first figures: the poller has work. */
  get hasDemand(): boolean {
    return this.hub.size > 0 || this.waiters.length > 0;
  }

  /** Updates after `lastId`, or undefined when that id cannot be resumed from. */
  updatesSince(lastId: number): FeedUpdate[] | undefined {
    return this.current ? this.replay.since(lastId) : undefined;
  }

  /** Called when someone waits for figures this replica does not have (the poller polls now). */
  onWait: () => void = () => undefined;

  /**
   * The current state; when this replica has none yet, the shared one, else the next one a
   * poll produces. Rejects with the poll's error, or SERVICE_UNAVAILABLE after `waitMs`.
   */
  async ready(): Promise<FeedState> {
    if (this.current) return this.current;
    // Redis down: no shared state to start from; the next poll (this replica's own) provides it.
    const shared = await this.bus.loadState().catch(() => null);
    if (shared && !this.current) this.adopt(shared);
    if (this.current) return this.current;
    let waiter: Waiter | undefined;
    const pending = new Promise<FeedState>((resolve, reject) => {
      waiter = { resolve, reject };
      this.waiters.push(waiter);
    });
    const stop = new AbortController();
    const timedOut = this.clock.sleep(this.waitMs, stop.signal).then(
      () => {
        throw new AppError('SERVICE_UNAVAILABLE', 'No queue figures are available yet', {
          retryAfterS: 5,
        });
      },
      // Aborted because the figures came first: nothing to report.
      () => undefined as never,
    );
    this.onWait();
    try {
      return await Promise.race([pending, timedOut]);
    } finally {
      stop.abort();
      this.waiters = this.waiters.filter((w) => w !== waiter);
    }
  }

  /** A poll failed before any figures existed: whoever waits for them gets the reason. */
  failWaiters(error: AppError): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(error);
  }

  apply(message: FeedMessage): void {
    switch (message.kind) {
      case 'reset':
        if (this.current && message.state.id <= this.current.id) return;
        this.adopt(message.state);
        this.hub.broadcastSnapshot(message.state);
        return;
      case 'update':
        return this.applyUpdate(message.previousId, message.update);
      case 'tick':
        if (this.current && message.id === this.current.id) {
          this.current = { ...this.current, asOf: message.asOf };
        } else if (!this.current || message.id > this.current.id) {
          void this.resync(message.id);
        }
        return;
      case 'status':
        if (this.health?.upstream === message.status.upstream) return;
        this.health = message.status;
        this.hub.broadcastStatus(message.status);
        return;
    }
  }

  private applyUpdate(previousId: number, update: FeedUpdate): void {
    const state = this.current;
    if (state && update.id <= state.id) return;
    if (!state || previousId !== state.id) {
      void this.resync(update.id);
      return;
    }
    this.current = {
      id: update.id,
      asOf: update.asOf,
      queues: applyQueueChanges(state.queues, update.queues, update.removed),
    };
    this.replay.push(update);
    this.hub.broadcastUpdate(update);
  }

  /** Takes a state as the start of a sequence: no earlier id can be resumed from. */
  private adopt(state: FeedState): void {
    this.current = state;
    this.replay.reset(state.id);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve(state);
  }

  private async resync(seenId: number): Promise<void> {
    if (this.resyncing) return;
    this.resyncing = true;
    try {
      const shared = await this.bus.loadState();
      if (!shared || shared.id < seenId || (this.current && shared.id <= this.current.id)) return;
      this.logger.warn(`Missed queue updates before id ${seenId}; sending fresh snapshots`);
      this.adopt(shared);
      this.hub.broadcastSnapshot(shared);
    } catch (err) {
      this.logger.warn(`Could not reload the shared queue figures: ${(err as Error).message}`);
    } finally {
      this.resyncing = false;
    }
  }
}
