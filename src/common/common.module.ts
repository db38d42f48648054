import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock/clock';
import { RedisService } from './redis/redis.service';

/**
 * The side-effecting building blocks that know no feature: the clock (swapped for a FakeClock
 * in specs) and the one Redis connection. Global, so every room injects them directly.
 */
@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }, RedisService],
  exports: [Clock, RedisService],
})
export class CommonModule {}
