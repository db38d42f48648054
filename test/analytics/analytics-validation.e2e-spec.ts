import request from 'supertest';
import { startTestGateway, TestGateway } from '../utils/test-gateway';

const valid = {
  metrics: ['handle_time', 'talk_time'],
  dimensions: ['date', 'channel'],
  start: '2024-05-01T00:00:00Z',
  end: '2024-05-08T00:00:00Z',
};

const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const filter = { dimension: 'channel', operator: 'eq', value: 'voice' };

/** [what is wrong, body, field expected in errors, text the message must contain]. */
const CASES: [string, Record<string, unknown>, string, string][] = [
  ['metrics missing', { ...valid, metrics: undefined }, 'metrics', 'metrics'],
  ['metrics empty', { ...valid, metrics: [] }, 'metrics', 'at least 1'],
  ['metrics not an array', { ...valid, metrics: 'handle_time' }, 'metrics', 'array'],
  ['more than 10 metrics', { ...valid, metrics: many(11, 'm') }, 'metrics', 'no more than 10'],
  [
    'repeated metric',
    { ...valid, metrics: ['handle_time', 'handle_time'] },
    'metrics',
    'must not repeat',
  ],
  [
    'unknown metric',
    { ...valid, metrics: ['handle_time', 'csat'] },
    'metrics',
    'Allowed: handle_time, talk_time, hold_time',
  ],
  ['non-string metric', { ...valid, metrics: [42] }, 'metrics', 'string'],
  ['dimensions missing', { ...valid, dimensions: undefined }, 'dimensions', 'dimensions'],
  [
    'more than 5 dimensions',
    { ...valid, dimensions: many(6, 'd') },
    'dimensions',
    'no more than 5',
  ],
  [
    'repeated dimension',
    { ...valid, dimensions: ['date', 'date'] },
    'dimensions',
    'must not repeat',
  ],
  [
    'unknown dimension',
    { ...valid, dimensions: ['planet'] },
    'dimensions',
    'Allowed: channel, skill, queue, agent, campaign, date',
  ],
  ['start missing', { ...valid, start: undefined }, 'start', 'start'],
  ['start not ISO', { ...valid, start: '05/01/2024' }, 'start', 'ISO 8601'],
  ['end impossible date', { ...valid, end: '2024-02-30' }, 'end', 'ISO 8601'],
  ['end before start', { ...valid, end: '2024-04-30T00:00:00Z' }, 'end', 'end must be after start'],
  ['end equals start', { ...valid, end: valid.start }, 'end', 'end must be after start'],
  [
    'range too long',
    { ...valid, start: '2023-01-01', end: '2024-06-01' },
    'end',
    'at most 366 days',
  ],
  ['filters not an array', { ...valid, filters: { dimension: 'channel' } }, 'filters', 'array'],
  [
    'more than 20 filters',
    { ...valid, filters: Array(21).fill(filter) },
    'filters',
    'no more than 20',
  ],
  ['filter not an object', { ...valid, filters: ['channel=voice'] }, 'filters.0', 'object'],
  [
    'filter unknown operator',
    { ...valid, filters: [{ ...filter, operator: 'like' }] },
    'filters.0.operator',
    'eq, in',
  ],
  [
    'filter unknown dimension',
    { ...valid, filters: [{ ...filter, dimension: 'planet' }] },
    'filters.0.dimension',
    'Allowed: channel',
  ],
  [
    'eq without value',
    { ...valid, filters: [{ dimension: 'channel', operator: 'eq' }] },
    'filters.0.value',
    'operator eq',
  ],
  [
    'in without values',
    { ...valid, filters: [{ dimension: 'channel', operator: 'in', value: 'x' }] },
    'filters.0.values',
    'operator in',
  ],
  [
    'in with empty values',
    { ...valid, filters: [{ dimension: 'channel', operator: 'in', values: [] }] },
    'filters.0.values',
    'at least 1',
  ],
  [
    'unknown filter field',
    { ...valid, filters: [{ ...filter, negate: true }] },
    'filters.0.negate',
    'not an allowed field',
  ],
  [
    'unknown KPI',
    { ...valid, kpis: ['nps'] },
    'kpis.0',
    'Catalogue: total_interaction_time, talk_ratio',
  ],
  [
    'KPI without its metrics',
    { ...valid, kpis: ['acw_ratio'] },
    'kpis.0',
    'needs metrics wrap_time',
  ],
  ['repeated KPI', { ...valid, kpis: ['talk_ratio', 'talk_ratio'] }, 'kpis', 'must not repeat'],
  ['format in the body', { ...valid, format: 'csv' }, 'format', 'not an allowed field'],
  ['unknown top-level field', { ...valid, cache_ttl: 5 }, 'cache_ttl', 'not an allowed field'],
];

describe('analytics validation (e2e)', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
    await t.control.resetStats();
  });
  afterAll(async () => t.close());

  it.each(CASES)('400 for %s', async (_what, body, field, text) => {
    const res = await request(t.url)
      .post('/v1/analytics/summary')
      .set(t.auth())
      .send(body)
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const error = (res.body.errors as { field: string; message: string }[]).find(
      (e) => e.field === field,
    );
    expect(error).toBeDefined();
    expect(error?.message).toContain(text);
  });

  it('400 for an unknown ?format', async () => {
    const res = await request(t.url)
      .post('/v1/analytics/summary?format=xml')
      .set(t.auth())
      .send(valid)
      .expect(400);
    expect(res.body.errors[0]).toEqual({
      field: 'format',
      message: 'format must be one of json, csv, ndjson',
    });
  });

  it('400 for a body that is not JSON, or not an object', async () => {
    await request(t.url)
      .post('/v1/analytics/summary')
      .set(t.auth())
      .set('content-type', 'application/json')
      .send('{"metrics":')
      .expect(400);
    await request(t.url).post('/v1/analytics/summary').set(t.auth()).send([valid]).expect(400);
  });

  it('lists every violation of the cross-field rules at once', async () => {
    const res = await request(t.url)
      .post('/v1/analytics/summary')
      .set(t.auth())
      .send({
        ...valid,
        metrics: ['csat'],
        dimensions: ['planet'],
        end: '2020-01-01',
        kpis: ['nps'],
      })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'metrics',
      'dimensions',
      'end',
      'kpis.0',
    ]);
  });

  it('never called upstream for any of the bad requests', async () => {
    const stats = await t.control.stats();
    expect(stats.routes.analyticsQuery.calls).toBe(0);
    expect(stats.analyticsChains).toBe(0);
  });
});
