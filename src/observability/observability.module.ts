import { Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/**
 * Metrics for everyone: global so any room can record without importing a feature. Logging is
 * configured in app.module.ts from buildLoggerParams (nestjs-pino owns its own module).
 */
@Global()
@Module({
  providers: [MetricsService],
  exports: [MetricsService],
})
export class ObservabilityModule {}
