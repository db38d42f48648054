import { hash, hashString, unit } from './hash';

/** Real-time queue metrics the stats route knows, in their default order. */
export const QUEUE_METRICS = [
  'waitTime',
  'agentCount',
  'conversationCount',
  'abandonCount',
  'serviceLevel',
] as const;
export type QueueMetric = (typeof QUEUE_METRICS)[number];

const round1 = (value: number): number => Math.round(value * 10) / 10;

/**
 * The value of one real-time metric: a pure function of (seed, queue, metric), so tests can
 * compute the expected number. waitTime is seconds with one decimal (0–600), agentCount 0–50,
 * conversationCount 0–200, abandonCount 0–30, serviceLevel percent with one decimal (0–100).
 */
export function queueMetricValue(seed: number, queueId: string, metric: QueueMetric): number {
  const u = unit(hash(seed, hashString(queueId), hashString(metric), 3));
  switch (metric) {
    case 'waitTime':
      return round1(u * 600);
    case 'agentCount':
      return Math.floor(u * 51);
    case 'conversationCount':
      return Math.floor(u * 201);
    case 'abandonCount':
      return Math.floor(u * 31);
    case 'serviceLevel':
      return round1(u * 100);
  }
}
