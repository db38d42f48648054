import { Injectable } from '@nestjs/common';
import { CxoneClient } from '../../../cxone/cxone.client';
import { asArray, asInstant, asRecord, asString } from '../../../cxone/upstream-shape';
import type {
  QueueMetricValue,
  QueueStatsEntry,
  QueueStatsQuery,
  QueueStatsSource,
} from '../../../reporting/queue-stats/queue-stats.source';

/** Queue stats over `GET /api/v2/reporting/queues/stats` with REAL_TIME granularity. */
@Injectable()
export class V2QueueStatsSource implements QueueStatsSource {
  constructor(private readonly cxone: CxoneClient) {}

  async fetchStats(query: QueueStatsQuery): Promise<QueueStatsEntry[]> {
    const res = await this.cxone.request(
      {
        operation: 'queueStats',
        method: 'GET',
        path: '/api/v2/reporting/queues/stats',
        query: {
          queueIds: query.queueIds.length ? query.queueIds.join(',') : undefined,
          granularity: 'REAL_TIME',
          metricTypes: query.metrics.join(','),
        },
      },
      parseQueueStats,
    );
    return res.data;
  }
}

/** Checks `{data:[{queue:{id,name}, metrics:[{name, values:[{value,timestamp}]}]}]}`. */
export function parseQueueStats(data: unknown): QueueStatsEntry[] {
  const body = asRecord(data, 'body');
  return asArray(body.data ?? [], 'data').map((raw, i) => {
    const path = `data[${i}]`;
    const entry = asRecord(raw, path);
    const queue = asRecord(entry.queue, `${path}.queue`);
    return {
      queueId: asString(queue.id, `${path}.queue.id`),
      queueName: typeof queue.name === 'string' ? queue.name : '',
      metrics: asArray(entry.metrics ?? [], `${path}.metrics`).map((m, j) => {
        const metric = asRecord(m, `${path}.metrics[${j}]`);
        return {
          name: asString(metric.name, `${path}.metrics[${j}].name`),
          values: asArray(metric.values ?? [], `${path}.metrics[${j}].values`).map((v, k) =>
            parseValue(v, `${path}.metrics[${j}].values[${k}]`),
          ),
        };
      }),
    };
  });
}

function parseValue(raw: unknown, path: string): QueueMetricValue {
  const sample = asRecord(raw, path);
  return {
    value: parseNumber(sample.value, `${path}.value`),
    timestampMs:
      sample.timestamp === undefined || sample.timestamp === null
        ? null
        : asInstant(sample.timestamp, `${path}.timestamp`),
  };
}

/** Numbers, or numeric strings (some tenants quote them); null stays null. */
function parseNumber(value: unknown, path: string): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`${path} must be a number`);
  return n;
}
