import { Module } from '@nestjs/common';
import { AgentHistoryController } from './agent-history/agent-history.controller';
import { AgentHistoryService } from './agent-history/agent-history.service';
import { AGENT_HISTORY_SOURCE } from './agent-history/agent-history.source';
import { V2AgentHistorySource } from './agent-history/v2-agent-history.source';
import { ReportingCacheService } from './common/reporting-cache.service';
import { QueueStatsController } from './queue-stats/queue-stats.controller';
import { QueueStatsService } from './queue-stats/queue-stats.service';
import { QUEUE_STATS_SOURCE } from './queue-stats/queue-stats.source';
import { V2QueueStatsSource } from './queue-stats/v2-queue-stats.source';

/**
 * Agent state history and real-time queue stats. Upstream access sits behind the
 * AGENT_HISTORY_SOURCE / QUEUE_STATS_SOURCE tokens so a second CXone dialect can be bound here
 * without touching the services. CxoneClient, Clock, Redis and metrics come from global modules.
 */
@Module({
  controllers: [AgentHistoryController, QueueStatsController],
  providers: [
    AgentHistoryService,
    QueueStatsService,
    ReportingCacheService,
    { provide: AGENT_HISTORY_SOURCE, useClass: V2AgentHistorySource },
    { provide: QUEUE_STATS_SOURCE, useClass: V2QueueStatsSource },
  ],
})
export class ReportingModule {}
