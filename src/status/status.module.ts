import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AGENT_STATUS_SOURCE } from './agent-status.source';
import { StatusIdempotency } from './status-idempotency.service';
import { StatusController } from './status.controller';
import { StatusService } from './status.service';
import { V2AgentStatusSource } from './v2-agent-status.source';
import { WfmStatusNotifier } from './wfm-status.notifier';

/** PUT /v1/agents/{userId}/status with role/shift checks, idempotency keys and WFM sync. */
@Module({
  imports: [WebhooksModule],
  controllers: [StatusController],
  providers: [
    StatusService,
    StatusIdempotency,
    WfmStatusNotifier,
    { provide: AGENT_STATUS_SOURCE, useClass: V2AgentStatusSource },
  ],
})
export class StatusModule {}
