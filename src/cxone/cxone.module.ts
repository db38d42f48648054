import { Global, Module } from '@nestjs/common';
import { CxoneTokenProvider } from './token/cxone-token.provider';
import { CxoneClient } from './cxone.client';
import { CxoneHttp } from './cxone-http';
import { UpstreamStatusController } from './upstream-status.controller';
import { UpstreamStatusService } from './upstream-status.service';

/**
 * The upstream port. Global so feature modules inject CxoneClient without importing this module;
 * APP_CONFIG, Clock, RedisService and MetricsService come from the global ConfigModule, CommonModule and ObservabilityModule.
 */
@Global()
@Module({
  controllers: [UpstreamStatusController],
  providers: [CxoneHttp, CxoneTokenProvider, CxoneClient, UpstreamStatusService],
  exports: [CxoneClient, CxoneTokenProvider, UpstreamStatusService],
})
export class CxoneModule {}
