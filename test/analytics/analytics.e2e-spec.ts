import request from 'supertest';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';
import { expectedKpis, fetchUpstreamRows, parseCsv, SummaryBody } from './analytics.helpers';

const ALL_METRICS = [
  'handle_time',
  'talk_time',
  'hold_time',
  'queue_time',
  'wrap_time',
  'abandon_rate',
  'service_level',
  'first_contact_resolution',
];

/** Each test uses its own date range, so cache entries never leak between tests. */
function body(day: number, extra: Partial<SummaryBody> = {}): SummaryBody {
  const start = new Date(Date.UTC(2024, 4, 1 + day)).toISOString();
  const end = new Date(Date.UTC(2024, 4, 2 + day)).toISOString();
  return {
    metrics: ['handle_time', 'talk_time', 'queue_time'],
    dimensions: ['channel'],
    start,
    end,
    ...extra,
  };
}

describe('analytics (e2e, memory cache)', () => {
  let t: TestGateway;
  const summary = (b: object) => request(t.url).post('/v1/analytics/summary').set(t.auth()).send(b);
  const chains = async (): Promise<number> => (await t.control.stats()).analyticsChains;

  beforeAll(async () => {
    t = await startTestGateway({ sandbox: { analyticsPageSize: 50 } });
  });
  afterAll(async () => t.close());

  it('returns exact KPI values for every row of a multi-page query (checked against the sandbox directly)', async () => {
    const b = body(0, {
      metrics: ALL_METRICS,
      dimensions: ['date', 'agent', 'channel'],
      end: '2024-05-08T00:00:00Z',
    });
    await t.control.resetStats();
    const res = await summary(b).expect(200);
    const gatewayCalls = (await t.control.stats()).routes.analyticsQuery.calls;
    const upstream = await fetchUpstreamRows(t.sandbox, b);

    // 7 days × 6 agents × 5 channels, 50 rows a page: the gateway walked every cursor page.
    expect(upstream.rows).toHaveLength(210);
    expect(gatewayCalls).toBeGreaterThanOrEqual(5);
    expect(res.body.rowCount).toBe(210);
    expect(res.body.rows).toHaveLength(210);
    expect(res.headers['x-cache']).toBe('MISS');
    expect(res.body.cache).toEqual({ status: 'MISS', ageSeconds: 0 });
    expect(res.body.warnings).toBeUndefined();

    const key = (r: Record<string, unknown>) =>
      `${String(r.date)}|${String(r.agent)}|${String(r.channel)}`;
    const byKey = new Map(upstream.rows.map((r) => [key(r), r]));
    expect(new Set(res.body.rows.map(key)).size).toBe(210);
    let numericStrings = 0;
    for (const row of res.body.rows as Record<string, unknown>[]) {
      const raw = byKey.get(key(row));
      expect(raw).toBeDefined();
      for (const m of ALL_METRICS) {
        if (typeof raw?.[m] === 'string') numericStrings += 1;
        expect(row[m]).toBe(Number(raw?.[m]));
      }
      expect(row).toMatchObject(expectedKpis(raw as Record<string, unknown>, true));
    }
    // The sandbox sends ~5 % of values as numeric strings; they were coerced, not zeroed.
    expect(numericStrings).toBeGreaterThan(0);
    expect(res.body.kpis).toHaveLength(13);
    expect(res.body.columns).toEqual([
      'date',
      'bucketStart',
      'bucketEnd',
      'agent',
      'channel',
      ...[...ALL_METRICS].sort(),
      ...res.body.kpis,
    ]);
  });

  it('sorts rows by the requested dimensions in order', async () => {
    const b = body(10, { dimensions: ['channel', 'date'], end: '2024-05-14T00:00:00Z' });
    const res = await summary(b).expect(200);
    const keys = res.body.rows.map((r: Record<string, string>) => [r.channel, r.date]);
    const sorted = [...keys].sort((x, y) => (x[0] + x[1] < y[0] + y[1] ? -1 : 1));
    expect(keys).toEqual(sorted);
    expect(keys[0]).toEqual(['chat', '2024-05-11']);
  });

  it('serves a HIT after a MISS without calling upstream', async () => {
    const b = body(20);
    await t.control.resetStats();
    const miss = await summary(b).expect(200);
    expect(await chains()).toBe(1);
    const hit = await summary({ ...b, metrics: [...b.metrics].reverse() }).expect(200);
    expect(await chains()).toBe(1);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body.cache.status).toBe('HIT');
    expect(hit.body.rows).toEqual(miss.body.rows);
    expect(hit.headers.etag).toBe(miss.headers.etag);
  });

  it('runs one upstream chain for 50 concurrent identical cold queries', async () => {
    const b = body(30, { dimensions: ['date', 'agent'], end: '2024-06-10T00:00:00Z' });
    await t.control.resetStats();
    const results = await Promise.all(Array.from({ length: 50 }, () => summary(b)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(await chains()).toBe(1);
    expect(new Set(results.map((r) => r.headers.etag)).size).toBe(1);
  });

  it('Cache-Control: no-cache forces a refresh', async () => {
    const b = body(40);
    await summary(b).expect(200);
    await t.control.resetStats();
    const forced = await summary(b).set('cache-control', 'no-cache').expect(200);
    expect(forced.headers['x-cache']).toBe('MISS');
    expect(await chains()).toBe(1);
    const after = await summary(b).expect(200);
    expect(after.headers['x-cache']).toBe('HIT');
    expect(await chains()).toBe(1);
  });

  it('answers 304 to If-None-Match with the ETag, 200 otherwise', async () => {
    const b = body(50);
    const first = await summary(b).expect(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const notModified = await summary(b).set('if-none-match', etag).expect(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(etag);
    expect(notModified.headers['x-cache']).toBe('HIT');
    await summary(b).set('if-none-match', '"something-else"').expect(200);
  });

  it('restricts KPIs to the requested ones', async () => {
    const res = await summary(body(60, { kpis: ['talk_ratio'] })).expect(200);
    expect(res.body.kpis).toEqual(['talk_ratio']);
    expect(res.body.columns).toEqual([
      'channel',
      'handle_time',
      'queue_time',
      'talk_time',
      'talk_ratio',
    ]);
    expect(Object.keys(res.body.rows[0]).sort()).toEqual([...res.body.columns].sort());
  });

  it('leaves out KPIs whose inputs are not in the query (channel_efficiency needs channel)', async () => {
    const res = await summary(
      body(61, { metrics: ['service_level', 'abandon_rate'], dimensions: ['date'] }),
    ).expect(200);
    expect(res.body.kpis).toEqual(['abandon_ratio', 'answer_ratio', 'service_level_ratio']);
  });

  it('applies filters upstream (eq and in)', async () => {
    const res = await summary(
      body(62, {
        dimensions: ['channel', 'campaign'],
        filters: [
          { dimension: 'channel', operator: 'in', values: ['voice', 'chat'] },
          {
            dimension: 'campaign',
            operator: 'eq',
            value: t.sandbox.fixtures.analytics.campaigns[0],
          },
        ],
      }),
    ).expect(200);
    expect(res.body.rows.map((r: Record<string, string>) => r.channel)).toEqual(['chat', 'voice']);
    const sent = await t.control.requests('analyticsQuery');
    expect((sent.at(-1)?.body as { filters: unknown[] }).filters).toEqual([
      { dimension: 'campaign', operator: 'eq', value: t.sandbox.fixtures.analytics.campaigns[0] },
      { dimension: 'channel', operator: 'in', values: ['chat', 'voice'] },
    ]);
  });

  it('renders CSV (?format=csv and Accept: text/csv) that parses back to the JSON rows', async () => {
    const b = body(70, {
      dimensions: ['date', 'channel'],
      start: '2024-06-01T00:00:00Z',
      end: '2024-06-04T00:00:00Z',
    });
    const json = await summary(b).expect(200);
    const viaQuery = await request(t.url)
      .post('/v1/analytics/summary?format=csv')
      .set(t.auth())
      .send(b)
      .expect(200);
    const viaAccept = await summary(b).set('accept', 'text/csv').expect(200);
    expect(viaQuery.headers['content-type']).toMatch(/^text\/csv/);
    expect(viaAccept.text).toBe(viaQuery.text);
    expect(viaQuery.headers['x-cache']).toBe('HIT');
    const [header, ...records] = parseCsv(viaQuery.text);
    expect(header).toEqual(json.body.columns);
    expect(records).toHaveLength(json.body.rowCount);
    records.forEach((rec, i) => {
      header.forEach((col, j) => {
        const value = json.body.rows[i][col];
        expect(rec[j]).toBe(value === null ? '' : String(value));
      });
    });
  });

  it('GET /v1/analytics/kpis returns the catalogue', async () => {
    const res = await request(t.url).get('/v1/analytics/kpis').set(t.auth()).expect(200);
    expect(res.body.length).toBeGreaterThanOrEqual(10);
    const talk = res.body.find((k: { name: string }) => k.name === 'talk_ratio');
    expect(talk).toEqual({
      name: 'talk_ratio',
      formula: 'talk_time / handle_time',
      requires: ['talk_time', 'handle_time'],
      unit: 'ratio',
      description: expect.any(String),
    });
    const eff = res.body.find((k: { name: string }) => k.name === 'channel_efficiency');
    expect(eff.requiresDimensions).toEqual(['channel']);
  });

  it('requires analytics:read', async () => {
    await request(t.url).post('/v1/analytics/summary').send(body(0)).expect(401);
    await summary(body(0)).set(t.auth(TEST_KEYS.reporting)).expect(403);
    await request(t.url).get('/v1/analytics/kpis').set(t.auth(TEST_KEYS.none)).expect(403);
    await request(t.url)
      .post('/api/v1/analytics/query')
      .set(t.auth(TEST_KEYS.reporting))
      .send({})
      .expect(403);
  });

  describe('v2 §analytics compatible POST /api/v1/analytics/query', () => {
    const compat = (b: object) =>
      request(t.url).post('/api/v1/analytics/query').set(t.auth()).send(b);

    it('answers {status, row_count, data, columns} with the same rows as the summary', async () => {
      const b = body(80, {
        dimensions: ['date', 'channel'],
        start: '2024-05-21T00:00:00Z',
        end: '2024-05-24T00:00:00Z',
      });
      const res = await compat({
        metrics: b.metrics,
        dimensions: b.dimensions,
        start_date: '2024-05-21T00:00:00+00:00',
        end_date: '2024-05-24T00:00:00+00:00',
        cache_ttl: 3600,
      }).expect(200);
      expect(Object.keys(res.body).sort()).toEqual(['columns', 'data', 'row_count', 'status']);
      expect(res.body.status).toBe('success');
      expect(res.body.row_count).toBe(15);
      const viaSummary = await summary(b).expect(200);
      expect(viaSummary.headers['x-cache']).toBe('HIT');
      expect(res.body.data).toEqual(viaSummary.body.rows);
      expect(res.body.columns).toEqual(viaSummary.body.columns);
    });

    it('cache_ttl: 0 forces a fresh query', async () => {
      const b = {
        metrics: ['handle_time'],
        dimensions: ['channel'],
        start_date: '2024-07-01',
        end_date: '2024-07-02',
      };
      await compat(b).expect(200);
      await t.control.resetStats();
      expect((await compat(b).expect(200)).headers['x-cache']).toBe('HIT');
      expect((await compat({ ...b, cache_ttl: 0 }).expect(200)).headers['x-cache']).toBe('MISS');
      expect(await chains()).toBe(1);
    });

    it('reports errors as problem+json 400 naming the seed field names', async () => {
      const res = await compat({
        metrics: ['handle_time', 'nps'],
        dimensions: ['channel'],
        start_date: '2024-05-02',
        end_date: '2024-05-01',
        cache_ttl: -1,
      }).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['cache_ttl']);
      const res2 = await compat({
        metrics: ['handle_time', 'nps'],
        dimensions: ['channel'],
        start_date: '2024-05-02',
        end_date: '2024-05-01',
      }).expect(400);
      expect(res2.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'metrics',
        'end_date',
      ]);
    });
  });
});
