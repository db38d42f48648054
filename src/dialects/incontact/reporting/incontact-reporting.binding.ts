import { IncontactAgentHistorySource } from './incontact-agent-history.source';
import { IncontactQueueStatsSource } from './incontact-queue-stats.source';

/** The reporting ports of the incontact dialect. */
export const INCONTACT_AGENT_HISTORY = IncontactAgentHistorySource;
export const INCONTACT_QUEUE_STATS = IncontactQueueStatsSource;
