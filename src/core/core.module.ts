import { DynamicModule, Global, Module } from '@nestjs/common';
import { ApiKeyRegistry } from '../auth/api-key.registry';
import { Clock, SystemClock } from '../common/clock/clock';
import { RedisService } from '../common/redis/redis.service';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { MetricsService } from '../health/metrics.service';

/** The shared, side-effecting building blocks every feature module may inject. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useClass: SystemClock },
        RedisService,
        MetricsService,
        ApiKeyRegistry,
      ],
      exports: [APP_CONFIG, Clock, RedisService, MetricsService, ApiKeyRegistry],
    };
  }
}
