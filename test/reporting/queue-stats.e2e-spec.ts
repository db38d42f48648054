import Redis from 'ioredis';
import request from 'supertest';
import { DEFAULT_SANDBOX_OPTIONS } from '../../src/sandbox/sandbox.options';
import { QUEUE_METRICS, queueMetricValue } from '../../src/sandbox/queue-stats.generator';
import { FakeClock } from '../../src/common/clock/fake-clock.fake';
import { startTestGateway, TestGateway, TEST_KEYS, testRedisUrl } from '../utils/test-gateway';
import { parseCsv, parseNdjson } from './reporting-helpers';

const TTL_S = 2;
const SEED = DEFAULT_SANDBOX_OPTIONS.seed;

interface QueueRow {
  queueId: string;
  queueName: string;
  timestamp: string;
  [metric: string]: string | number | null;
}
interface StatsBody {
  asOf: string;
  queues: QueueRow[];
}

/** The row the sandbox's generator implies for a queue and metric list. */
function expectedRow(
  queue: { id: string; name: string },
  metrics: readonly string[],
): Record<string, unknown> {
  const row: Record<string, unknown> = {
    queueId: queue.id,
    queueName: queue.name,
    timestamp: expect.any(String),
  };
  for (const m of metrics)
    row[m] = queueMetricValue(SEED, queue.id, m as (typeof QUEUE_METRICS)[number]);
  return row;
}

describe('GET /v1/queues/stats (e2e)', () => {
  // Gateway and sandbox on one fake clock: the cache TTL passes only when a spec says so. One
  // attempt per call, so no retry ever waits on that clock.
  const clock = new FakeClock();
  let t: TestGateway;
  let queues: { id: string; name: string }[];
  const stats = (query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    request(t.url)
      .get('/v1/queues/stats')
      .query(query)
      .set({ ...t.auth(TEST_KEYS.reporting), ...headers });
  const upstreamCalls = async (): Promise<number> =>
    (await t.control.stats()).routes.queueStats.calls;

  beforeAll(async () => {
    t = await startTestGateway({
      env: { QUEUE_STATS_TTL_S: String(TTL_S), CXONE_MAX_ATTEMPTS: '1' },
      clock,
    });
    queues = t.sandbox.fixtures.queues;
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.control.clearFaults();
    await t.control.resetStats();
    // Each spec starts with the previous one's entries expired.
    await clock.advance(TTL_S * 1000);
  });

  it('flattens every queue and metric into one row per queue, matching the sandbox generator', async () => {
    const res = await stats({}, { 'cache-control': 'no-cache' }).expect(200);
    const body = res.body as StatsBody;
    expect(body.queues).toEqual(queues.map((q) => expectedRow(q, QUEUE_METRICS)));
    expect(Object.keys(body.queues[0])).toEqual([
      'queueId',
      'queueName',
      'timestamp',
      ...QUEUE_METRICS,
    ]);
    for (const row of body.queues)
      expect(Date.parse(row.timestamp)).toBeLessThanOrEqual(Date.parse(body.asOf));
    const [sent] = await t.control.requests('queueStats');
    expect(sent.query).toMatchObject({
      granularity: 'REAL_TIME',
      metricTypes: QUEUE_METRICS.join(','),
    });
    expect(sent.query.queueIds).toBeUndefined();
  });

  it('filters by queue ids and metrics', async () => {
    const picked = [queues[2], queues[0]];
    const res = await stats({
      queueIds: picked.map((q) => q.id).join(','),
      metrics: 'serviceLevel,waitTime',
    }).expect(200);
    const body = res.body as StatsBody;
    const expected = [queues[0], queues[2]].map((q) =>
      expectedRow(q, ['waitTime', 'serviceLevel']),
    );
    expect(body.queues).toEqual(expected);
    const [sent] = await t.control.requests('queueStats');
    expect(sent.query).toMatchObject({
      queueIds: [queues[0].id, queues[2].id].sort().join(','),
      metricTypes: 'waitTime,serviceLevel',
    });
  });

  it('reads queue UUIDs in any case', async () => {
    const res = await stats({ queueIds: queues[1].id.toUpperCase(), metrics: 'waitTime' });
    expect(res.status).toBe(200);
    expect((res.body as StatsBody).queues).toEqual([expectedRow(queues[1], ['waitTime'])]);
  });

  it('makes one upstream call for 50 concurrent identical requests, then serves HITs until the TTL passes', async () => {
    // A slow upstream keeps the one load in flight while all 50 arrive; its per-attempt timeout
    // runs on the fake clock, so slowness cannot turn into a timeout here.
    await t.control.addFaults([{ route: 'queueStats', kind: 'latency', latencyMs: 1500 }]);
    const query = { queueIds: queues[1].id, metrics: 'agentCount' };
    const burst = await Promise.all(Array.from({ length: 50 }, () => stats(query)));
    expect(burst.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(burst.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(burst.every((r) => r.headers['x-cache'] === 'MISS')).toBe(true);
    expect(await upstreamCalls()).toBe(1);
    await t.control.clearFaults();

    const hit = await stats(query).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body).toEqual(burst[0].body);
    // The same query spelled differently shares the entry.
    const reordered = await stats({
      metrics: 'agentCount,agentCount',
      queueIds: `${queues[1].id},`,
    }).expect(200);
    expect(reordered.headers['x-cache']).toBe('HIT');
    expect(await upstreamCalls()).toBe(1);

    await clock.advance(TTL_S * 1000 - 1);
    expect((await stats(query).expect(200)).headers['x-cache']).toBe('HIT');
    await clock.advance(1);
    const expired = await stats(query).expect(200);
    expect(expired.headers['x-cache']).toBe('MISS');
    expect(await upstreamCalls()).toBe(2);
    expect(Date.parse((expired.body as StatsBody).asOf)).toBeGreaterThan(
      Date.parse((hit.body as StatsBody).asOf),
    );
  });

  it('bypasses the cache on Cache-Control: no-cache and refreshes the entry', async () => {
    const query = { metrics: 'abandonCount' };
    await stats(query).expect(200);
    expect((await stats(query).expect(200)).headers['x-cache']).toBe('HIT');
    const fresh = await stats(query, { 'cache-control': 'no-cache' }).expect(200);
    expect(fresh.headers['x-cache']).toBe('MISS');
    expect(await upstreamCalls()).toBe(2);
    const after = await stats(query).expect(200);
    expect(after.headers['x-cache']).toBe('HIT');
    expect(after.body).toEqual(fresh.body);
  });

  it('does not cache failures', async () => {
    await t.control.addFaults([{ route: 'queueStats', kind: 'status', status: 500, times: 10 }]);
    const failed = await stats({ metrics: 'conversationCount' });
    expect(failed.status).toBe(503);
    await t.control.clearFaults();
    const ok = await stats({ metrics: 'conversationCount' }).expect(200);
    expect(ok.headers['x-cache']).toBe('MISS');
  });

  it('renders the same rows as CSV and NDJSON', async () => {
    const query = { metrics: 'waitTime,agentCount,serviceLevel' };
    const json = (await stats(query).expect(200)).body as StatsBody;
    const csv = await stats({ ...query, format: 'csv' }).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['x-cache']).toBe('HIT');
    expect(csv.text.split('\r\n')[0]).toBe(
      'queueId,queueName,timestamp,waitTime,agentCount,serviceLevel',
    );
    const fromCsv = parseCsv(csv.text).map((r) => ({
      ...r,
      waitTime: Number(r.waitTime),
      agentCount: Number(r.agentCount),
      serviceLevel: Number(r.serviceLevel),
    }));
    expect(fromCsv).toEqual(json.queues);
    const ndjson = await stats({ ...query, format: 'ndjson' }).expect(200);
    expect(ndjson.headers['content-type']).toContain('application/x-ndjson');
    expect(parseNdjson(ndjson.text)).toEqual(json.queues);
  });

  it('answers an unknown queue with 404 naming it', async () => {
    const unknown = t.sandbox.fixtures.unknownQueue;
    const res = await stats({ queueIds: `${queues[0].id},${unknown}` }).expect(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.detail).toBe(`Queue ${unknown} not found`);
  });

  it('refuses unknown metrics (listing the allowed ones) and malformed queue ids', async () => {
    const metric = await stats({ metrics: 'waitTime,handleTime' }).expect(400);
    expect(metric.body.errors).toEqual([
      {
        field: 'metrics',
        message: expect.stringContaining('handleTime') as string,
      },
    ]);
    for (const m of QUEUE_METRICS) expect(metric.body.errors[0].message).toContain(m);

    const ids = await stats({ queueIds: `${queues[0].id},../etc` }).expect(400);
    expect(ids.body.errors[0].field).toBe('queueIds');

    const both = await stats({ queueIds: 'x', metrics: 'y', format: 'xml' }).expect(400);
    expect(both.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'format',
      'metrics',
      'queueIds',
    ]);
    expect(await upstreamCalls()).toBe(0);
  });

  it('needs an API key with reporting:read', async () => {
    await request(t.url).get('/v1/queues/stats').expect(401);
    await request(t.url).get('/v1/queues/stats').set(t.auth(TEST_KEYS.none)).expect(403);
  });
});

const REDIS_DB = 1;
const itRedis = testRedisUrl(REDIS_DB) ? it : it.skip;

describe('GET /v1/queues/stats with Redis (e2e)', () => {
  itRedis('shares cached stats between replicas through Redis', async () => {
    const redisUrl = testRedisUrl(REDIS_DB) as string;
    const admin = new Redis(redisUrl);
    await admin.flushdb();
    const a = await startTestGateway({ env: { REDIS_URL: redisUrl, QUEUE_STATS_TTL_S: '30' } });
    const b = await startTestGateway({
      env: { REDIS_URL: redisUrl, QUEUE_STATS_TTL_S: '30' },
      sharedSandbox: a.sandbox,
    });
    try {
      await a.control.resetStats();
      const first = await request(a.url)
        .get('/v1/queues/stats?metrics=waitTime')
        .set(a.auth())
        .expect(200);
      expect(first.headers['x-cache']).toBe('MISS');
      const second = await request(b.url)
        .get('/v1/queues/stats?metrics=waitTime')
        .set(b.auth())
        .expect(200);
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.body).toEqual(first.body);
      const csv = await request(b.url)
        .get('/v1/queues/stats?metrics=waitTime&format=csv')
        .set(b.auth())
        .expect(200);
      expect(csv.text.split('\r\n')[0]).toBe('queueId,queueName,timestamp,waitTime');
      expect((await a.control.stats()).routes.queueStats.calls).toBe(1);
      const keys = await admin.keys('cxgw:cache:queueStats:*');
      expect(keys).toHaveLength(1);
      expect(await admin.pttl(keys[0])).toBeGreaterThan(25_000);
    } finally {
      await b.close();
      await a.close();
      admin.disconnect();
    }
  });
});
