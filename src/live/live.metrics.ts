import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '../observability/metrics.service';
import type { PollCounters } from './feed/queue-feed.poller';
import type { HubCounters } from './stream/stream-hub';

/** The stream's own series on the gateway's /metrics. */
@Injectable()
export class LiveMetrics implements PollCounters, HubCounters {
  private readonly polls: Counter<'result'>;
  private readonly drops: Counter;

  constructor(metrics: MetricsService) {
    this.polls = new Counter({
      name: 'gateway_live_polls_total',
      help: 'Queue polls this replica made for the live stream, by result',
      labelNames: ['result'],
      registers: [metrics.registry],
    });
    this.drops = new Counter({
      name: 'gateway_live_stream_drops_total',
      help: 'Streams dropped because their client stopped reading',
      registers: [metrics.registry],
    });
  }

  polled(result: 'ok' | 'error'): void {
    this.polls.inc({ result });
  }

  dropped(): void {
    this.drops.inc();
  }
}
