import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { ApiKeyGuard } from './auth/api-key.guard';
import { AuthModule } from './auth/auth.module';
import { rowsWeight } from './analytics/cache/analytics-cache.types';
import { AppCacheModule } from './common/cache/app-cache.module';
import type { Clock } from './common/clock/clock';
import { CommonModule } from './common/common.module';
import { ConfigModule } from './config/config.module';
import { ObservabilityModule } from './observability/observability.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { AuditModule } from './audit/audit.module';
import { ProblemFilter } from './common/errors/problem.filter';
import { FormatHooks } from './common/format/format.hooks';
import { createValidationPipe } from './common/validation/validation-pipe.factory';
import type { AppConfig } from './config/app-config.types';
import { CxoneModule } from './cxone/cxone.module';
import { DialectModule } from './dialects/dialect.module';
import { ExportModule } from './export/export.module';
import { LiveModule } from './live/live.module';
import { HealthModule } from './health/health.module';
import { ReplayModule } from './replay/replay.module';
import { ReportingModule } from './reporting/reporting.module';
import { buildLoggerParams } from './observability/logger.options';
import { ODataModule } from './odata/odata.module';
import { SandboxInfoModule } from './sandbox-info/sandbox-info.module';
import { StatusModule } from './status/status.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** Where logs go; stdout by default. Tests pass a capture stream. */
  logDestination?: DestinationStream;
  /** The embedded sandbox's public fixtures, when bootstrap started one (sandbox mode). */
  sandboxFixtures?: object;
  /** Replaces the system clock (e2e specs that step time). */
  clock?: Clock;
}

/**
 * Wires the modules and registers the cross-cutting pipeline once (guard, pipe, filter), so
 * tests and production run the same pipeline. Audit and output formats are Fastify hooks owned
 * by their modules, not interceptors (an interceptor costs ≈ 80 µs per request; docs/bench.md).
 */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(options.config),
        CommonModule.forRoot(options.clock),
        ObservabilityModule,
        AuthModule,
        // Analytics entries dominate the memory store: weigh them by rows held.
        AppCacheModule.forRoot({ weigh: rowsWeight }),
        LoggerModule.forRoot(buildLoggerParams(options.config, options.logDestination)),
        CxoneModule,
        DialectModule.forRoot(options.config.cxone.dialect),
        AuditModule,
        HealthModule,
        AnalyticsModule,
        ReplayModule,
        ReportingModule,
        StatusModule,
        ExportModule,
        LiveModule,
        ODataModule,
        ...(options.sandboxFixtures ? [SandboxInfoModule.forRoot(options.sandboxFixtures)] : []),
      ],
      providers: [
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
        FormatHooks,
      ],
    };
  }
}
