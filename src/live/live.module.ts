import { Module } from '@nestjs/common';
import { ApiKeyRegistry } from '../auth/api-key.registry';
import { Clock } from '../common/clock/clock';
import { RedisService } from '../common/redis/redis.service';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { queueSnapshotOf } from '../reporting/queue-stats/queue-metrics.exposition';
import { QueueStatsService } from '../reporting/queue-stats/queue-stats.service';
import { ReportingModule } from '../reporting/reporting.module';
import { MemoryQueueFeedBus } from './feed/memory-queue-feed.bus';
import { QueueFeed } from './feed/queue-feed';
import { QueueFeedPoller } from './feed/queue-feed.poller';
import { QUEUE_FEED_BUS, type QueueFeedBus } from './feed/queue-feed.types';
import { RedisQueueFeedBus } from './feed/redis-queue-feed.bus';
import { liveTimings, type LiveTimings } from './live.timings';
import { LiveLifecycle } from './live.lifecycle';
import { LiveMetrics } from './live.metrics';
import { QueueStreamController } from './stream/queue-stream.controller';
import { QueueStreamService } from './stream/queue-stream.service';
import { StreamAuth } from './stream/stream-auth';
import { StreamHub } from './stream/stream-hub';
import { StreamTicketStore } from './tickets/stream-ticket.store';
import { WallboardController } from './wallboard/wallboard.controller';

const LIVE_TIMINGS = Symbol('LIVE_TIMINGS');

/**
 * Live queue figures: the SSE stream (one poller across replicas, deltas over Redis pub/sub),
 * its tickets, and the wallboard page. It polls through the queue-stats service (and so its
 * cache and whichever dialect is bound), never a dialect directly.
 */
@Module({
  imports: [ReportingModule],
  controllers: [QueueStreamController, WallboardController],
  providers: [
    LiveMetrics,
    LiveLifecycle,
    {
      provide: LIVE_TIMINGS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => liveTimings(config),
    },
    {
      provide: StreamHub,
      inject: [Clock, LIVE_TIMINGS, LiveMetrics],
      useFactory: (clock: Clock, t: LiveTimings, metrics: LiveMetrics) =>
        new StreamHub(clock, t, metrics),
    },
    {
      provide: QUEUE_FEED_BUS,
      inject: [RedisService, LIVE_TIMINGS],
      useFactory: (redis: RedisService, t: LiveTimings): QueueFeedBus =>
        redis.client ? new RedisQueueFeedBus(redis.client, t) : new MemoryQueueFeedBus(),
    },
    {
      provide: QueueFeed,
      inject: [QUEUE_FEED_BUS, StreamHub, Clock, LIVE_TIMINGS],
      useFactory: (bus: QueueFeedBus, hub: StreamHub, clock: Clock, t: LiveTimings) =>
        new QueueFeed(bus, hub, clock, t),
    },
    {
      provide: QueueFeedPoller,
      inject: [QueueFeed, QUEUE_FEED_BUS, QueueStatsService, Clock, LIVE_TIMINGS, LiveMetrics],
      useFactory: (
        feed: QueueFeed,
        bus: QueueFeedBus,
        stats: QueueStatsService,
        clock: Clock,
        t: LiveTimings,
        metrics: LiveMetrics,
      ) =>
        new QueueFeedPoller({
          feed,
          bus,
          clock,
          intervalMs: t.pollIntervalMs,
          counters: metrics,
          // Fresh every round (the result still refreshes the cache /stats and /metrics use).
          fetchSnapshot: async () => queueSnapshotOf((await stats.stats({}, true)).result),
        }),
    },
    {
      provide: StreamTicketStore,
      inject: [Clock, RedisService, APP_CONFIG],
      useFactory: (clock: Clock, redis: RedisService, config: AppConfig) =>
        new StreamTicketStore(clock, redis.client, config.live.streamTicketTtlS * 1000),
    },
    {
      provide: StreamAuth,
      inject: [ApiKeyRegistry, StreamTicketStore],
      useFactory: (keys: ApiKeyRegistry, tickets: StreamTicketStore) =>
        new StreamAuth(keys, tickets),
    },
    {
      provide: QueueStreamService,
      inject: [QueueFeed, StreamHub, APP_CONFIG],
      useFactory: (feed: QueueFeed, hub: StreamHub, config: AppConfig) =>
        new QueueStreamService(feed, hub, { maxPerKey: config.live.streamMaxPerKey }),
    },
  ],
})
export class LiveModule {}
