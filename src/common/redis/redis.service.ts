import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG } from '../../config/config.constants';
import type { AppConfig } from '../../config/app-config.types';

/**
 * Owns the gateway's Redis connection (cache, locks, shared token, rate budget, audit stream).
 * Commands fail fast while Redis is down (no offline queue), so every caller can fail open.
 * `client` is null when REDIS_URL is unset (memory mode).
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  readonly client: Redis | null;
  private lastError: string | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const url = config.redis.cacheUrl;
    this.client = url ? this.connect(url) : null;
  }

  get enabled(): boolean {
    return this.client !== null;
  }

  /** True when Redis is configured and the connection is ready for commands. */
  get healthy(): boolean {
    return this.client?.status === 'ready';
  }

  get lastErrorMessage(): string | undefined {
    return this.lastError;
  }

  private connect(url: string): Redis {
    const client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 1000,
      // Keep trying to come back after an outage; the gateway keeps serving meanwhile.
      retryStrategy: (attempt) => Math.min(200 * attempt, 2000),
      lazyConnect: false,
      // Closing while Redis is down: ioredis waits this long for a socket that already died
      // before destroying it (2 s by default), holding a stopped process open meanwhile.
      disconnectTimeout: 200,
    });
    client.on('error', (err: Error) => {
      if (this.lastError !== err.message) this.logger.warn(`Redis error: ${err.message}`);
      this.lastError = err.message;
    });
    client.on('ready', () => {
      if (this.lastError) this.logger.log('Redis connection restored');
      this.lastError = undefined;
    });
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.client) return;
    try {
      await this.client.quit();
    } catch {
      // Already disconnected: nothing left to close.
      this.client.disconnect();
    }
  }
}
