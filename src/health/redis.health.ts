import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Clock } from '../common/clock/clock';
import { withTimeout } from '../common/concurrency/with-timeout';
import { RedisService } from '../common/redis/redis.service';

const PING_TIMEOUT_MS = 1000;

/** Redis reachability. In memory mode (no REDIS_URL) it reports up with `mode: memory`. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisService,
    private readonly clock: Clock,
  ) {}

  /** `detailed` adds the client's error text (audit:read only; see CxoneHealthIndicator). */
  async check(detailed = false): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('redis');
    const client = this.redis.client;
    if (!client) return session.up({ mode: 'memory' });
    try {
      await withTimeout(client.ping(), { ms: PING_TIMEOUT_MS, clock: this.clock, what: 'ping' });
      return session.up({ mode: 'redis' });
    } catch (err) {
      return session.down({
        mode: 'redis',
        ...(detailed && {
          message: `Redis unreachable (${(err as Error).message}); cache and locks fail open`,
        }),
      });
    }
  }
}
