import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { StatusIdempotency } from './status-idempotency.service';
import { StatusController } from './status.controller';
import { StatusService } from './status.service';
import { WfmStatusNotifier } from './wfm-status.notifier';

/** PUT /v1/agents/{userId}/status with role/shift checks, idempotency keys and WFM sync. */
@Module({
  imports: [WebhooksModule],
  controllers: [StatusController],
  providers: [StatusService, StatusIdempotency, WfmStatusNotifier],
})
export class StatusModule {}
