import { Module } from '@nestjs/common';
import { AgentHistoryController } from './agent-history/agent-history.controller';
import { AgentHistoryService } from './agent-history/agent-history.service';
import { QueueMetricsController } from './queue-stats/queue-metrics.controller';
import { QueueStatsController } from './queue-stats/queue-stats.controller';
import { QueueStatsReplay } from './queue-stats/queue-stats.replay';
import { QueueStatsService } from './queue-stats/queue-stats.service';

/**
 * Agent state history and real-time queue stats. Upstream access sits behind the
 * AGENT_HISTORY_SOURCE / QUEUE_STATS_SOURCE ports, which the configured dialect binds
 * (src/dialects/dialect.module.ts). Clock, Redis and metrics come from global modules.
 */
@Module({
  controllers: [AgentHistoryController, QueueStatsController, QueueMetricsController],
  providers: [AgentHistoryService, QueueStatsService, QueueStatsReplay],
  // The live queue stream and the OData feed read through the same (cached) services.
  exports: [QueueStatsService, AgentHistoryService],
})
export class ReportingModule {}
