import {
  analyticsCacheKey,
  ANALYTICS_CACHE_PREFIX,
  canonicalJson,
  NormalizedQuery,
  parseIsoInstant,
} from './analytics-query';

const base: NormalizedQuery = {
  metrics: ['handle_time', 'talk_time'],
  dimensions: ['date', 'channel'],
  start: '2024-05-01T00:00:00.000Z',
  end: '2024-05-08T00:00:00.000Z',
  filters: [
    { dimension: 'channel', operator: 'in', values: ['voice', 'chat'] },
    { dimension: 'skill', operator: 'eq', values: ['Billing'] },
  ],
};

describe('parseIsoInstant', () => {
  it.each([
    ['2024-05-01', '2024-05-01T00:00:00.000Z'],
    ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T10:00:00', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T12:00:00+02:00', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T05:30:00-0430', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T10:00:00.123456Z', '2024-05-01T10:00:00.123Z'],
    ['2024-05-01 10:00', '2024-05-01T10:00:00.000Z'],
  ])('%s → %s (no offset = UTC)', (text, iso) => {
    expect(new Date(parseIsoInstant(text) as number).toISOString()).toBe(iso);
  });

  it.each([
    '2024-02-30',
    '2024-13-01',
    '2024-05-01T24:00:00Z',
    'yesterday',
    '',
    '2024-5-1',
    '1714521600',
  ])('rejects %j', (text) => {
    expect(parseIsoInstant(text)).toBeUndefined();
  });
});

describe('analyticsCacheKey', () => {
  const key = analyticsCacheKey(base);

  it('is the prefix plus a sha256 hex digest', () => {
    expect(key).toMatch(new RegExp(`^${ANALYTICS_CACHE_PREFIX}[0-9a-f]{64}$`));
  });

  it('ignores metric order, KPI order, filter order and value order', () => {
    const shuffled: NormalizedQuery = {
      ...base,
      metrics: ['talk_time', 'handle_time'],
      filters: [
        { dimension: 'skill', operator: 'in', values: ['Billing'] },
        { dimension: 'channel', operator: 'in', values: ['chat', 'voice', 'chat'] },
      ],
    };
    expect(analyticsCacheKey(shuffled)).toBe(key);
    expect(analyticsCacheKey({ ...base, kpis: ['b', 'a'] })).toBe(
      analyticsCacheKey({ ...base, kpis: ['a', 'b'] }),
    );
  });

  it('depends on dimension order (it is the row sort order)', () => {
    expect(analyticsCacheKey({ ...base, dimensions: ['channel', 'date'] })).not.toBe(key);
  });

  it('depends on everything else that changes the answer', () => {
    const variants: NormalizedQuery[] = [
      { ...base, metrics: ['handle_time'] },
      { ...base, end: '2024-05-09T00:00:00.000Z' },
      { ...base, start: '2024-05-02T00:00:00.000Z' },
      { ...base, filters: [] },
      { ...base, filters: [{ dimension: 'channel', operator: 'eq', values: ['voice'] }] },
      { ...base, kpis: [] },
      { ...base, kpis: ['talk_ratio'] },
    ];
    const keys = new Set(variants.map(analyticsCacheKey));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(key)).toBe(false);
  });

  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
  });
});
