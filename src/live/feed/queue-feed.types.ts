import type { QueueStatsRow } from '../../reporting/queue-stats/queue-stats.flatten';

/** The figures every subscriber shares: the latest rows and the id of the event that made them. */
export interface FeedState {
  /**
   * Id of the last `snapshot`/`update` event. Ids only ever grow: each is the poll time in ms,
   * or one more than the previous id when that is larger (a slow clock never moves them back).
   */
  id: number;
  /** When the gateway last fetched the figures from CXone (UTC). */
  asOf: string;
  /** Every queue, as `GET /v1/queues/stats` returns it (full rows). */
  queues: QueueStatsRow[];
}

/** One change as the stream shows it: full rows of the queues whose figures changed. */
export interface FeedUpdate {
  id: number;
  asOf: string;
  queues: QueueStatsRow[];
  /** Queues upstream no longer reports; left out of the event when there are none. */
  removed?: string[];
}

export type UpstreamHealth = 'ok' | 'degraded';

export interface FeedStatus {
  upstream: UpstreamHealth;
  /** Since when (UTC). */
  since: string;
  /** Why upstream is degraded (a safe, caller-facing message). */
  detail?: string;
}

/**
 * What the polling replica publishes. `reset` replaces the whole state (a replica's first poll
 * as the poller); `update` applies to the state `previousId` names; `tick` says a poll found
 * nothing changed; `status` carries upstream health. `origin` names the publishing replica,
 * which applies its own messages directly and ignores their echo.
 */
export type FeedMessage =
  | { kind: 'reset'; origin: string; state: FeedState }
  | { kind: 'update'; origin: string; previousId: number; update: FeedUpdate }
  | { kind: 'tick'; origin: string; id: number; asOf: string }
  | { kind: 'status'; origin: string; status: FeedStatus };

/**
 * How replicas share one poller and its results. In memory mode there is one process and the
 * bus is a direct call; with Redis one replica holds a lock and the others listen.
 */
export interface QueueFeedBus {
  /** This replica's name on the bus. */
  readonly origin: string;
  /** Takes or renews the poller lease; true while this replica is the one that polls. */
  lead(): Promise<boolean>;
  /** Gives the lease up (no subscribers left here, or shutting down). */
  resign(): Promise<void>;
  /** The last published state, shared by every replica; null when there is none. */
  loadState(): Promise<FeedState | null>;
  /** Stores `state` as the shared state (when given) and delivers `message` to every replica. */
  publish(message: FeedMessage, state?: FeedState): Promise<void>;
  /** Registers the receiver of every replica's messages (this one's included). */
  onMessage(handler: (message: FeedMessage) => void): void;
  close(): Promise<void>;
}

export const QUEUE_FEED_BUS = Symbol('QUEUE_FEED_BUS');
