import { CELLS_PER_DAY, factCell, factInteractions, factMetric } from './analytics-facts';
import {
  aggregateAnalytics,
  applyNumericStringQuirk,
  decodeCursor,
  encodeCursor,
  InvalidQueryError,
  parseAnalyticsQuery,
  queryFingerprint,
} from './analytics-query';
import { DAY_MS } from './iso-time';

const base = {
  metrics: ['handle_time', 'abandon_rate'],
  dimensions: ['channel'],
  dateRange: { start: '2024-01-01T00:00:00Z', end: '2024-01-03T00:00:00Z' },
};

describe('parseAnalyticsQuery', () => {
  it.each([
    [{ ...base, metrics: [] }, /1 to 10/],
    [{ ...base, metrics: ['nope'] }, /Unsupported metrics: nope/],
    [{ ...base, metrics: Array(11).fill('handle_time') }, /1 to 10/],
    [
      { ...base, dimensions: ['channel', 'skill', 'queue', 'agent', 'campaign', 'date'] },
      /at most 5/,
    ],
    [{ ...base, dimensions: ['planet'] }, /Unsupported dimensions/],
    [{ ...base, dateRange: { start: '2024-01-02', end: '2024-01-01' } }, /after/],
    [{ ...base, dateRange: { start: 'yesterday', end: '2024-01-01' } }, /ISO 8601/],
    [{ ...base, dateRange: undefined }, /dateRange/],
    [
      { ...base, filters: [{ dimension: 'channel', operator: 'like', value: 'v' }] },
      /filters\[0\]/,
    ],
    [{ ...base, filters: {} }, /filters must be an array/],
    [{ ...base, paging: { pageSize: 0 } }, /pageSize/],
  ])('rejects %j', (body, message) => {
    expect(() => parseAnalyticsQuery(body)).toThrow(InvalidQueryError);
    expect(() => parseAnalyticsQuery(body)).toThrow(message);
  });

  it('accepts a seed-002 payload', () => {
    const sut = parseAnalyticsQuery({ ...base, filters: [], paging: { pageSize: 100 } });
    expect(sut).toMatchObject({ metrics: base.metrics, dimensions: ['channel'], pageSize: 100 });
  });
});

describe('aggregateAnalytics', () => {
  const seed = 42;

  it('computes interaction-weighted means over the days in range', () => {
    const query = parseAnalyticsQuery(base);
    const rows = aggregateAnalytics(seed, query);
    expect(rows.map((r) => r.channel)).toEqual(['chat', 'email', 'sms', 'social', 'voice']);
    const day0 = Date.parse('2024-01-01T00:00:00Z') / DAY_MS;
    for (const metric of query.metrics) {
      let n = 0;
      let sum = 0;
      for (const day of [day0, day0 + 1]) {
        for (let cell = 0; cell < CELLS_PER_DAY; cell += 1) {
          if (factCell(cell).channel !== 'voice') continue;
          const k = factInteractions(seed, day, cell);
          n += k;
          sum += k * factMetric(seed, day, cell, metric);
        }
      }
      const voice = rows.find((r) => r.channel === 'voice');
      expect(voice?.[metric]).toBe(Math.round((sum / n) * 100) / 100);
    }
  });

  it('includes cells with zero interactions as zeros', () => {
    const day = Date.parse('2024-01-01T00:00:00Z') / DAY_MS;
    const empty = Array.from({ length: CELLS_PER_DAY }, (_, c) => c).filter(
      (c) => factInteractions(seed, day, c) === 0,
    );
    expect(empty.length).toBeGreaterThan(20);
    expect(factMetric(seed, day, empty[0], 'handle_time')).toBe(0);
  });

  it('groups by date and filters with eq / in', () => {
    const query = parseAnalyticsQuery({
      ...base,
      dimensions: ['date', 'channel'],
      filters: [
        { dimension: 'channel', operator: 'in', values: ['voice', 'chat'] },
        { dimension: 'skill', operator: 'eq', value: 'Billing' },
      ],
    });
    const rows = aggregateAnalytics(seed, query);
    expect(rows.map((r) => `${r.date}/${r.channel}`)).toEqual([
      '2024-01-01/chat',
      '2024-01-01/voice',
      '2024-01-02/chat',
      '2024-01-02/voice',
    ]);
  });

  it('turns about 5 % of values into numeric strings, deterministically', () => {
    const query = parseAnalyticsQuery({
      ...base,
      metrics: ['handle_time', 'talk_time', 'hold_time', 'queue_time'],
      dimensions: ['agent', 'queue', 'skill', 'channel'],
    });
    const rows = aggregateAnalytics(seed, query).map((r) =>
      applyNumericStringQuirk(seed, query, r),
    );
    const values = rows.flatMap((r) => query.metrics.map((m) => r[m]));
    const strings = values.filter((v) => typeof v === 'string');
    expect(strings.length / values.length).toBeGreaterThan(0.02);
    expect(strings.length / values.length).toBeLessThan(0.09);
    expect(strings.every((s) => Number.isFinite(Number(s)))).toBe(true);
    const again = aggregateAnalytics(seed, query).map((r) =>
      applyNumericStringQuirk(seed, query, r),
    );
    expect(again).toEqual(rows);
  });
});

describe('cursors', () => {
  const query = parseAnalyticsQuery(base);
  const fingerprint = queryFingerprint(query);

  it('round-trips an offset for the same query', () => {
    expect(decodeCursor(encodeCursor(50, fingerprint), fingerprint, 120)).toBe(50);
  });

  it.each(['garbage!', encodeCursor(50, 'other-query'), encodeCursor(500, fingerprint)])(
    'rejects %s',
    (cursor) => {
      expect(() => decodeCursor(cursor, fingerprint, 120)).toThrow(InvalidQueryError);
    },
  );
});
