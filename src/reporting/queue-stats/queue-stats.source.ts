/**
 * The real-time queue statistics capability, independent of the upstream dialect (docs/architecture.md).
 */

/** Real-time metrics the gateway knows, in their canonical (column) order. */
export const QUEUE_METRIC_NAMES = [
  'waitTime',
  'agentCount',
  'conversationCount',
  'abandonCount',
  'serviceLevel',
] as const;
export type QueueMetricName = (typeof QUEUE_METRIC_NAMES)[number];

export interface QueueMetricValue {
  value: number | null;
  /** Epoch ms of the sample; null when upstream gives none. */
  timestampMs: number | null;
}

export interface QueueMetricSeries {
  name: string;
  values: QueueMetricValue[];
}

/** One queue as upstream reports it: its identity and every sampled metric. */
export interface QueueStatsEntry {
  queueId: string;
  queueName: string;
  metrics: QueueMetricSeries[];
}

export interface QueueStatsQuery {
  /** Empty: every queue. */
  queueIds: readonly string[];
  metrics: readonly QueueMetricName[];
}

export interface QueueStatsSource {
  /** Real-time stats; throws UPSTREAM_NOT_FOUND when upstream does not know a queue. */
  fetchStats(query: QueueStatsQuery): Promise<QueueStatsEntry[]>;
}

export const QUEUE_STATS_SOURCE = Symbol('QUEUE_STATS_SOURCE');
