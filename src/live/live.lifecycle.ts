import {
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { MetricsService } from '../observability/metrics.service';
import { QueueFeedPoller } from './feed/queue-feed.poller';
import { QUEUE_FEED_BUS, type QueueFeedBus } from './feed/queue-feed.types';
import { QueueStreamService } from './stream/queue-stream.service';
import { StreamHub } from './stream/stream-hub';

/**
 * Starts the poller with the app and ends the streams at shutdown. Streams never finish by
 * themselves, so the HTTP drain would wait for them until its hard deadline: a Fastify
 * preClose hook (it runs before the server stops accepting) ends them first and hands the
 * poller lease to another replica; their clients reconnect there after the retry delay.
 */
@Injectable()
export class LiveLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly poller: QueueFeedPoller,
    private readonly streams: QueueStreamService,
    @Inject(QUEUE_FEED_BUS) private readonly bus: QueueFeedBus,
    hub: StreamHub,
    metrics: MetricsService,
  ) {
    new Gauge({
      name: 'gateway_live_streams',
      help: 'Queue streams open on this replica',
      registers: [metrics.registry],
      collect() {
        this.set(hub.size);
      },
    });
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preClose', async () => {
      this.streams.closeAll();
      await this.poller.stop();
    });
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.streams.closeAll();
    await this.poller.stop();
    await this.bus.close();
  }
}
