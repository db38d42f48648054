import type { DialectBindings } from '../dialect-bindings';
import { ClientCredentialsGrant } from './auth/client-credentials.grant';
import { V2AnalyticsSource } from './analytics/v2-analytics.source';
import { V2ExportSource } from './export/v2-export.source';
import { V2AuthProbeCall } from './health/v2-auth-probe.call';
import { V2AgentHistorySource } from './reporting/v2-agent-history.source';
import { V2QueueStatsSource } from './reporting/v2-queue-stats.source';
import { V2AgentStatusSource } from './status/v2-agent-status.source';

/** The seed tutorials' `/api/v2` surface (docs/upstream-v2.md), the sandbox default. */
export const V2_DIALECT: DialectBindings = {
  agentHistory: V2AgentHistorySource,
  queueStats: V2QueueStatsSource,
  analytics: V2AnalyticsSource,
  agentStatus: V2AgentStatusSource,
  export: V2ExportSource,
  tokenGrant: ClientCredentialsGrant,
  authProbe: V2AuthProbeCall,
};
