import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CxoneHealthIndicator } from './cxone.health';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { READINESS_PROBE_PROVIDER } from './readiness-probe.provider';
import { RedisHealthIndicator } from './redis.health';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 })],
  controllers: [HealthController, MetricsController],
  providers: [RedisHealthIndicator, CxoneHealthIndicator, READINESS_PROBE_PROVIDER],
})
export class HealthModule {}
