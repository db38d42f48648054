import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { RedisService } from '../common/redis/redis.service';

const PING_TIMEOUT_MS = 1000;

/** Redis reachability. In memory mode (no REDIS_URL) it reports up with `mode: memory`. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('redis');
    const client = this.redis.client;
    if (!client) return session.up({ mode: 'memory' });
    try {
      await withTimeout(client.ping(), PING_TIMEOUT_MS);
      return session.up({ mode: 'redis' });
    } catch (err) {
      return session.down({
        mode: 'redis',
        message: `Redis unreachable (${(err as Error).message}); cache and locks fail open`,
      });
    }
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
