import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { AnalyticsCompatController } from './analytics-compat.controller';
import { AnalyticsQueryValidator } from './analytics-query.validator';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { AnalyticsCacheService } from './cache/analytics-cache.service';
import { analyticsCacheOptions } from './cache/analytics-cache.store';

/**
 * Analytics summary queries with KPIs, cached (Redis or memory) with stale-if-error. Its own
 * CacheModule instance, so analytics keys and TTLs never mix with other caches. CxoneClient,
 * APP_CONFIG, Clock, RedisService and MetricsService come from global modules.
 */
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => analyticsCacheOptions(config),
    }),
  ],
  controllers: [AnalyticsController, AnalyticsCompatController],
  providers: [AnalyticsQueryValidator, AnalyticsCacheService, AnalyticsService],
  exports: [AnalyticsCacheService],
})
export class AnalyticsModule {}
