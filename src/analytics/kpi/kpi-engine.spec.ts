import {
  coerceMetric,
  compareDimension,
  computeKpis,
  MAX_WARNINGS,
  selectKpis,
  sortRows,
  transformRows,
} from './kpi-engine';
import { findKpi } from './kpi-catalogue';

describe('coerceMetric', () => {
  it.each([
    [123.4, 123.4],
    ['123.4', 123.4],
    [' 42 ', 42],
    ['-1.5e2', -150],
    ['.5', 0.5],
    [0, 0],
    ['0', 0],
  ])('%j → %d', (raw, expected) => {
    expect(coerceMetric(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['n/a'],
    [''],
    ['12abc'],
    ['0x10'],
    [null],
    [undefined],
    [true],
    [{}],
    [NaN],
    [Infinity],
    ['Infinity'],
  ])('reports %j instead of zeroing it', (raw) => {
    const c = coerceMetric(raw);
    expect(c.ok).toBe(false);
  });
});

describe('sorting', () => {
  it('orders numbers numerically, strings lexicographically, numbers first, null last', () => {
    const values = ['b', 10, null, 'a', 2, 'B', 1.5];
    expect([...values].sort(compareDimension)).toEqual([1.5, 2, 10, 'B', 'a', 'b', null]);
  });

  it('sorts by the dimensions in the requested order and is stable', () => {
    const rows = [
      { date: '2024-05-02', channel: 'chat', n: 1 },
      { date: '2024-05-01', channel: 'voice', n: 2 },
      { date: '2024-05-01', channel: 'chat', n: 3 },
      { date: '2024-05-01', channel: 'chat', n: 4 },
    ];
    expect(sortRows(rows, ['date', 'channel']).map((r) => r.n)).toEqual([3, 4, 2, 1]);
    expect(sortRows(rows, ['channel', 'date']).map((r) => r.n)).toEqual([3, 4, 1, 2]);
    expect(sortRows(rows, []).map((r) => r.n)).toEqual([1, 2, 3, 4]);
  });

  it('sorts numeric dimensions numerically, not as text', () => {
    const rows = [{ skill: 10 }, { skill: 9 }, { skill: 100 }];
    expect(sortRows(rows, ['skill']).map((r) => r.skill)).toEqual([9, 10, 100]);
  });
});

describe('selectKpis', () => {
  it('picks only KPIs whose metrics are all present', () => {
    const names = selectKpis({ metrics: ['handle_time', 'talk_time'], dimensions: [] }).map(
      (k) => k.name,
    );
    expect(names).toEqual(['talk_ratio', 'non_talk_handle_time']);
  });

  it('computes channel_efficiency only when channel is a dimension', () => {
    const metrics = ['service_level', 'abandon_rate'];
    const without = selectKpis({ metrics, dimensions: ['date'] }).map((k) => k.name);
    const withChannel = selectKpis({ metrics, dimensions: ['date', 'channel'] }).map((k) => k.name);
    expect(without).not.toContain('channel_efficiency');
    expect(withChannel).toContain('channel_efficiency');
  });

  it('restricts to the requested KPIs, in catalogue order', () => {
    const names = selectKpis({
      metrics: ['handle_time', 'talk_time', 'queue_time'],
      dimensions: [],
      kpis: ['talk_ratio', 'total_interaction_time'],
    }).map((k) => k.name);
    expect(names).toEqual(['total_interaction_time', 'talk_ratio']);
  });
});

describe('computeKpis', () => {
  it('rounds ratios to 4 and seconds to 2 decimals', () => {
    const kpis = ['talk_ratio', 'total_interaction_time'].map((n) => findKpi(n)!);
    const out = computeKpis({ talk_time: 1, handle_time: 3, queue_time: 0.005 }, kpis);
    expect(out).toEqual({ talk_ratio: 0.3333, total_interaction_time: 3.01 });
  });
});

describe('transformRows', () => {
  const query = {
    metrics: ['handle_time', 'queue_time', 'talk_time'],
    dimensions: ['date', 'channel'],
  };

  it('coerces numeric strings and computes KPIs from them', () => {
    const { rows, warnings } = transformRows(
      [
        {
          date: '2024-05-01',
          channel: 'voice',
          handle_time: '300',
          queue_time: 60,
          talk_time: '150.5',
        },
      ],
      query,
    );
    expect(warnings).toEqual([]);
    expect(rows[0]).toEqual({
      date: '2024-05-01',
      channel: 'voice',
      handle_time: 300,
      queue_time: 60,
      talk_time: 150.5,
      total_interaction_time: 360,
      talk_ratio: 0.5017,
      talk_share_of_interaction: 0.4181,
      queue_share_of_interaction: 0.1667,
      non_talk_handle_time: 149.5,
    });
  });

  it('reports non-numbers as null with a warning naming the (sorted) row and metric', () => {
    const { rows, warnings } = transformRows(
      [
        {
          date: '2024-05-02',
          channel: 'voice',
          handle_time: 'n/a',
          queue_time: 60,
          talk_time: 100,
        },
        { date: '2024-05-01', channel: 'voice', handle_time: 200, queue_time: 60 },
      ],
      query,
    );
    expect(rows[0].date).toBe('2024-05-01');
    expect(rows[0].talk_time).toBeNull();
    expect(rows[0].talk_ratio).toBeNull();
    expect(rows[0].total_interaction_time).toBe(260);
    expect(rows[1].handle_time).toBeNull();
    expect(rows[1].total_interaction_time).toBeNull();
    expect(warnings).toEqual([
      expect.objectContaining({
        row: 0,
        metric: 'talk_time',
        received: 'nothing (metric missing)',
      }),
      expect.objectContaining({ row: 1, metric: 'handle_time', received: '"n/a"' }),
    ]);
  });

  it('gives null KPIs for zero denominators (the seed divided by 1 instead)', () => {
    const { rows } = transformRows(
      [{ date: 'd', channel: 'c', handle_time: 0, queue_time: 0, talk_time: 0 }],
      query,
    );
    expect(rows[0].talk_ratio).toBeNull();
    expect(rows[0].talk_share_of_interaction).toBeNull();
    expect(rows[0].total_interaction_time).toBe(0);
  });

  it('lists columns as dimensions, metrics, then KPIs', () => {
    const { columns, kpis } = transformRows([], query);
    expect(columns).toEqual([
      'date',
      'channel',
      'handle_time',
      'queue_time',
      'talk_time',
      'total_interaction_time',
      'talk_ratio',
      'talk_share_of_interaction',
      'queue_share_of_interaction',
      'non_talk_handle_time',
    ]);
    expect(kpis).toEqual(columns.slice(5));
  });

  it('caps the warnings list and says how many more there were', () => {
    const raw = Array.from({ length: MAX_WARNINGS + 10 }, (_, i) => ({
      date: String(i),
      channel: 'x',
      handle_time: 'x',
      queue_time: 1,
      talk_time: 1,
    }));
    const { warnings } = transformRows(raw, query);
    expect(warnings).toHaveLength(MAX_WARNINGS + 1);
    expect(warnings[MAX_WARNINGS].message).toContain('10 more');
  });
});
