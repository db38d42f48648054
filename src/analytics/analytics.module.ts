import { Module } from '@nestjs/common';
import { AnalyticsCompatController } from './analytics-compat.controller';
import { AnalyticsQueryValidator } from './analytics-query.validator';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsReplay } from './analytics.replay';
import { AnalyticsService } from './analytics.service';
import { AnalyticsCacheService } from './cache/analytics-cache.service';

/**
 * Analytics summary queries with KPIs, cached (Redis or memory) with stale-if-error, in the one
 * cache stack (CACHE_MANAGER from AppCacheModule) under its own `cxgw:analytics:` keys. CxoneClient,
 * APP_CONFIG, Clock, RedisService and MetricsService come from global modules.
 */
@Module({
  controllers: [AnalyticsController, AnalyticsCompatController],
  providers: [AnalyticsQueryValidator, AnalyticsCacheService, AnalyticsService, AnalyticsReplay],
  // The OData feed answers Summaries through the same service (and so the same cache).
  exports: [AnalyticsCacheService, AnalyticsService],
})
export class AnalyticsModule {}
