import { flattenQueueStats, missingQueueIds, queueStatsColumns } from './queue-stats.flatten';
import type { QueueStatsEntry } from './queue-stats.source';
import { parseQueueStats } from '../../dialects/v2/reporting/v2-queue-stats.source';

const T1 = '2026-01-15T12:00:00.000Z';
const T2 = '2026-01-15T12:00:05.000Z';

describe('queue stats flattening', () => {
  const upstream = {
    data: [
      {
        queue: { id: 'q1', name: 'Sales' },
        metrics: [
          { name: 'waitTime', values: [{ value: 12.5, timestamp: T1 }] },
          {
            name: 'agentCount',
            values: [
              { value: 3, timestamp: T2 },
              { value: 2, timestamp: T1 },
            ],
          },
          { name: 'serviceLevel', values: [] },
        ],
      },
      { queue: { id: 'q2', name: 'Billing' }, metrics: [] },
    ],
  };

  it('makes one row per queue: latest value per metric, latest timestamp, null when missing', () => {
    const sut = flattenQueueStats(parseQueueStats(upstream), [
      'waitTime',
      'agentCount',
      'serviceLevel',
    ]);
    expect(sut).toEqual([
      {
        queueId: 'q1',
        queueName: 'Sales',
        timestamp: T2,
        waitTime: 12.5,
        agentCount: 3,
        serviceLevel: null,
      },
      {
        queueId: 'q2',
        queueName: 'Billing',
        timestamp: null,
        waitTime: null,
        agentCount: null,
        serviceLevel: null,
      },
    ]);
  });

  it('leaves out metrics that were not asked for', () => {
    const [row] = flattenQueueStats(parseQueueStats(upstream), ['agentCount']);
    expect(Object.keys(row)).toEqual(['queueId', 'queueName', 'timestamp', 'agentCount']);
    expect(row.timestamp).toBe(T2);
  });

  it('orders columns as identity, timestamp, then the metrics', () => {
    expect(queueStatsColumns(['waitTime', 'abandonCount'])).toEqual([
      'queueId',
      'queueName',
      'timestamp',
      'waitTime',
      'abandonCount',
    ]);
  });

  it('finds requested queues missing from the answer', () => {
    const entries: QueueStatsEntry[] = [{ queueId: 'Q1', queueName: 'x', metrics: [] }];
    expect(missingQueueIds(['q1', 'q2'], entries)).toEqual(['q2']);
  });
});

describe('parseQueueStats', () => {
  it('accepts numeric strings and null values', () => {
    const [entry] = parseQueueStats({
      data: [
        {
          queue: { id: 'q1', name: 'S' },
          metrics: [
            { name: 'waitTime', values: [{ value: '4.5', timestamp: null }, { value: null }] },
          ],
        },
      ],
    });
    expect(entry.metrics[0].values).toEqual([
      { value: 4.5, timestampMs: null },
      { value: null, timestampMs: null },
    ]);
  });

  it.each([
    [null, 'body'],
    [{ data: {} }, 'data'],
    [{ data: [{ metrics: [] }] }, 'data[0].queue'],
    [
      {
        data: [
          { queue: { id: 'q' }, metrics: [{ name: 'waitTime', values: [{ value: 'lots' }] }] },
        ],
      },
      'value',
    ],
    [
      {
        data: [
          {
            queue: { id: 'q' },
            metrics: [{ name: 'waitTime', values: [{ value: 1, timestamp: 'soon' }] }],
          },
        ],
      },
      'timestamp',
    ],
  ])('rejects a wrong shape (%j)', (body, path) => {
    expect(() => parseQueueStats(body)).toThrow(path);
  });
});
