import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ExportJobStore } from './export-job.store';
import { ExportJobsGauge } from './export-jobs.gauge';
import { ExportResultReader } from './export-result.reader';
import { ExportRetentionSweeper } from './export-retention.sweeper';
import { ExportSlotGate } from './export-slot.gate';
import { ExportWebhookNotifier } from './export-webhook';
import { ExportLifecycle } from './export.lifecycle';
import { ExportProcessor } from './export.processor';
import {
  BullMqExportRunner,
  EXPORT_RUNNER,
  type ExportRunner,
  InProcessExportRunner,
  workerConcurrency,
} from './export.runner';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';

/**
 * Bot-event exports (the /v1 contract in README.md): windows, upstream job lifecycle, streaming download,
 * validation, dedupe, durable result store and the completion webhook. Jobs run on BullMQ when
 * a queue Redis is configured (plain `bullmq` Queue/Worker rather than @nestjs/bullmq's static
 * module registration, because the choice is made from config at runtime) and in process otherwise.
 */
@Module({
  imports: [WebhooksModule],
  controllers: [ExportsController],
  providers: [
    ExportsService,
    ExportJobStore,
    ExportJobsGauge,
    ExportResultReader,
    ExportSlotGate,
    ExportProcessor,
    ExportWebhookNotifier,
    ExportLifecycle,
    ExportRetentionSweeper,
    {
      provide: EXPORT_RUNNER,
      inject: [APP_CONFIG, ExportProcessor, ExportJobStore],
      useFactory: (
        config: AppConfig,
        processor: ExportProcessor,
        store: ExportJobStore,
      ): ExportRunner =>
        config.redis.queueUrl
          ? new BullMqExportRunner(
              processor,
              store,
              config.redis.queueUrl,
              workerConcurrency(config),
            )
          : new InProcessExportRunner(processor, store, workerConcurrency(config)),
    },
  ],
  // The OData feed lists the caller's exports and pages their records.
  exports: [ExportsService],
})
export class ExportModule {}
