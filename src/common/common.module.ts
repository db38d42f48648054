import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock/clock';
import { RedisService } from './redis/redis.service';

/**
 * The side-effecting building blocks that know no feature: the clock (swapped for a FakeClock
 * in specs) and the one Redis connection. Global, so every room injects them directly.
 */
@Global()
@Module({})
export class CommonModule {
  /** `clock` stands in for the system clock (e2e specs that step time across the whole app). */
  static forRoot(clock?: Clock): DynamicModule {
    return {
      module: CommonModule,
      providers: [
        clock ? { provide: Clock, useValue: clock } : { provide: Clock, useClass: SystemClock },
        RedisService,
      ],
      exports: [Clock, RedisService],
    };
  }
}
