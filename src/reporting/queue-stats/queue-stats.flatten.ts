import { toIsoUtc } from '../common/iso-instant';
import type { QueueMetricName, QueueMetricValue, QueueStatsEntry } from './queue-stats.source';

/** One queue as one flat row: identity, latest sample time and one column per metric. */
export interface QueueStatsRow {
  queueId: string;
  queueName: string;
  /** The latest sample timestamp among the row's metrics (UTC); null when none had one. */
  timestamp: string | null;
  [metric: string]: string | number | boolean | null;
}

export interface QueueStatsEnvelope {
  asOf: string;
  queues: QueueStatsRow[];
}

/** CSV / NDJSON columns for the requested metrics. */
export function queueStatsColumns(metrics: readonly QueueMetricName[]): string[] {
  return ['queueId', 'queueName', 'timestamp', ...metrics];
}

/**
 * Flattens upstream's nested `queue → metrics → values` into one row per queue (upstream order).
 * Each metric takes its latest sample (by timestamp, else the last listed); a metric upstream did
 * not report is null, so every row has every requested column.
 */
export function flattenQueueStats(
  entries: readonly QueueStatsEntry[],
  metrics: readonly QueueMetricName[],
): QueueStatsRow[] {
  return entries.map((entry) => {
    const row: QueueStatsRow = {
      queueId: entry.queueId,
      queueName: entry.queueName,
      timestamp: null,
    };
    let latestMs: number | null = null;
    for (const metric of metrics) {
      const series = entry.metrics.find((m) => m.name === metric);
      const sample = series ? latestSample(series.values) : undefined;
      row[metric] = sample?.value ?? null;
      const ms = sample?.timestampMs ?? null;
      if (ms !== null && (latestMs === null || ms > latestMs)) latestMs = ms;
    }
    row.timestamp = latestMs === null ? null : toIsoUtc(latestMs);
    return row;
  });
}

function latestSample(values: readonly QueueMetricValue[]): QueueMetricValue | undefined {
  let best: QueueMetricValue | undefined;
  for (const v of values) {
    if (!best || (v.timestampMs ?? -Infinity) >= (best.timestampMs ?? -Infinity)) best = v;
  }
  return best;
}

/** Requested queue ids that upstream's answer does not contain. */
export function missingQueueIds(
  requested: readonly string[],
  entries: readonly QueueStatsEntry[],
): string[] {
  const present = new Set(entries.map((e) => e.queueId.toLowerCase()));
  return requested.filter((id) => !present.has(id.toLowerCase()));
}
