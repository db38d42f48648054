import type { IdFormat } from '../common/id-format';

/**
 * The real-time queue statistics capability, independent of the upstream dialect (docs/architecture.md).
 */

/**
 * Real-time metrics the gateway knows, in their canonical (column) order: the seed surface's
 * five, then what the real feed (a CXone skill's activity) adds.
 */
export const QUEUE_METRIC_NAMES = [
  'waitTime',
  'agentCount',
  'conversationCount',
  'abandonCount',
  'serviceLevel',
  'queueCount',
  'agentsLoggedIn',
  'agentsWorking',
  'agentsAcw',
  'agentsUnavailable',
  'serviceLevelGoal',
  'serviceLevelThreshold',
  'mediaType',
  'isOutbound',
  'campaignName',
] as const;
export type QueueMetricName = (typeof QUEUE_METRIC_NAMES)[number];

/** What a source reports when it does not say: the seed surface's five metrics. */
export const CORE_QUEUE_METRICS: readonly QueueMetricName[] = QUEUE_METRIC_NAMES.slice(0, 5);

export interface QueueMetricValue {
  /** A figure; the real feed also has a few attributes (media type, direction, campaign). */
  value: number | string | boolean | null;
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
  /** The metrics this dialect can report, canonical order; the default set (CORE_QUEUE_METRICS). */
  readonly metrics?: readonly QueueMetricName[];
  /** How this dialect's queue ids look (default `uuid`); others are a 400 naming queueIds. */
  readonly queueIdFormat?: IdFormat;
  /** Real-time stats; throws UPSTREAM_NOT_FOUND when upstream does not know a queue. */
  fetchStats(query: QueueStatsQuery): Promise<QueueStatsEntry[]>;
}

export const QUEUE_STATS_SOURCE = Symbol('QUEUE_STATS_SOURCE');
