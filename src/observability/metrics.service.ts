import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RouteDurationHistogram } from './route-duration-histogram';
import { Tally, type CounterChild } from './tally';

/** Seconds: from a cache hit (≈ 1 ms) to a long history fetch. */
export const HTTP_DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * The gateway's Prometheus registry. One instance per app (not the global registry) so tests
 * and several apps in one process do not collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  /** Hot-path series (see Tally), flushed by the collect hook of the counters they belong to. */
  private readonly tallies: Tally[] = [];
  private readonly flushTallies = (): void => {
    for (const tally of this.tallies) tally.flush();
  };

  /** Observed on every request: see RouteDurationHistogram for why it is not prom-client's. */
  readonly httpDuration = new RouteDurationHistogram(
    'gateway_http_request_duration_seconds',
    'Inbound HTTP request duration by route template and status',
    HTTP_DURATION_BUCKETS,
    this.registry,
  );

  readonly upstreamCalls = new Counter({
    name: 'gateway_upstream_calls_total',
    help: 'Upstream CXone HTTP attempts by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'gateway_upstream_call_duration_seconds',
    help: 'Upstream CXone attempt duration by operation',
    labelNames: ['operation'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly cacheEvents = new Counter({
    name: 'gateway_cache_events_total',
    help: 'Cache lookups by cache name and result (hit, miss, stale, error)',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
    collect: this.flushTallies,
  });

  /**
   * A recorder for one cache's events, each result a Tally: the hit path must not hash label
   * sets per request.
   */
  cacheEventRecorder(cache: string): (event: 'hit' | 'miss' | 'stale' | 'error') => void {
    const tallies = {
      hit: this.tally(this.cacheEvents.labels({ cache, result: 'hit' })),
      miss: this.tally(this.cacheEvents.labels({ cache, result: 'miss' })),
      stale: this.tally(this.cacheEvents.labels({ cache, result: 'stale' })),
      error: this.tally(this.cacheEvents.labels({ cache, result: 'error' })),
    };
    return (event) => tallies[event].inc();
  }

  /** Cache hits answered before the Nest pipeline (a Tally: counted on every such hit). */
  readonly fastPathAnswers = this.tally(
    new Counter({
      name: 'gateway_fast_path_answers_total',
      help: 'Cache hits answered before the Nest pipeline from recorded bytes',
      registers: [this.registry],
      collect: this.flushTallies,
    }),
  );

  readonly jobs = new Gauge({
    name: 'gateway_export_jobs',
    help: 'Export jobs by status',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'gateway_webhook_deliveries_total',
    help: 'Outgoing webhook attempts by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  private tally(series: CounterChild): Tally {
    const tally = new Tally(series);
    this.tallies.push(tally);
    return tally;
  }
}
