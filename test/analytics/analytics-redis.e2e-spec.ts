import Redis from 'ioredis';
import request from 'supertest';
import { startSandbox, SandboxHandle } from '../../src/sandbox/sandbox.server';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { JumpClock } from '../utils/jump-clock';
import { startTestGateway, TestGateway, testRedisUrl } from '../utils/test-gateway';

const REDIS_URL = testRedisUrl(2);
const describeRedis = REDIS_URL ? describe : describe.skip;

const query = (day: number) => ({
  metrics: ['handle_time', 'talk_time', 'queue_time'],
  dimensions: ['date', 'agent'],
  start: new Date(Date.UTC(2024, 8, 1 + day)).toISOString(),
  end: new Date(Date.UTC(2024, 8, 4 + day)).toISOString(),
});

describeRedis('analytics with Redis (e2e, two replicas)', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControlClient;
  let a: TestGateway;
  let b: TestGateway;
  let redis: Redis;
  // Both replicas and the sandbox read one clock, so a spec can let time pass without waiting.
  const clock = new JumpClock();

  beforeAll(async () => {
    redis = new Redis(REDIS_URL as string);
    await redis.flushdb();
    sandbox = await startSandbox({ port: 0, analyticsPageSize: 50 }, () => clock.now());
    control = new SandboxControlClient(sandbox.url);
    const env = { REDIS_URL, ANALYTICS_CACHE_TTL_S: '600' };
    a = await startTestGateway({ sharedSandbox: sandbox, env, clock });
    b = await startTestGateway({ sharedSandbox: sandbox, env, clock });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sandbox?.close();
    await redis?.quit();
  });

  const post = (t: TestGateway, body: object) =>
    request(t.url).post('/v1/analytics/summary').set(t.auth()).send(body);

  it('stores entries in Redis under cxgw:analytics:<sha256>, kept past the logical TTL', async () => {
    await post(a, query(0)).expect(200);
    const keys = (await redis.keys('cxgw:analytics:*')).filter((k) => !k.includes(':lock:'));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^cxgw:analytics:[0-9a-f]{64}$/);
    const ttlMs = await redis.pttl(keys[0]);
    expect(ttlMs).toBeGreaterThan(600_000);
    expect(ttlMs).toBeLessThanOrEqual(600_000 + 24 * 3600 * 1000);
    const stored = JSON.parse((await redis.get(keys[0])) as string) as { value: { etag: string } };
    expect(stored.value.etag).toMatch(/^"/);
  });

  it('a result fetched by one replica is a HIT on the other', async () => {
    await control.resetStats();
    const miss = await post(a, query(5)).expect(200);
    const hit = await post(b, query(5)).expect(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body.rows).toEqual(miss.body.rows);
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect((await control.stats()).analyticsChains).toBe(1);
  });

  it('identical cold queries across two replicas make one upstream chain', async () => {
    await control.resetStats();
    await control.addFaults([{ route: 'analyticsQuery', kind: 'latency', latencyMs: 100 }]);
    try {
      const body = query(10);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => post(i % 2 ? a : b, body)),
      );
      expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
      expect(new Set(results.map((r) => r.headers.etag)).size).toBe(1);
      expect((await control.stats()).analyticsChains).toBe(1);
      expect(await redis.keys('cxgw:analytics:lock:*')).toEqual([]);
    } finally {
      await control.clearFaults();
    }
  });

  it('no-cache on one replica refreshes the entry the other one reads', async () => {
    const body = query(15);
    const first = await post(a, body).expect(200);
    clock.jump(1100);
    const forced = await post(b, body).set('cache-control', 'no-cache').expect(200);
    expect(forced.headers['x-cache']).toBe('MISS');
    const after = await post(a, body).expect(200);
    expect(after.headers['x-cache']).toBe('HIT');
    expect(after.body.generatedAt).toBe(forced.body.generatedAt);
    expect(after.body.generatedAt).not.toBe(first.body.generatedAt);
  });
});

describe('analytics with Redis unreachable (e2e, fail open)', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ env: { CACHE_REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(async () => t?.close());

  it('still answers every query from upstream (MISS), never a 500', async () => {
    await t.control.resetStats();
    for (let i = 0; i < 3; i++) {
      const res = await request(t.url)
        .post('/v1/analytics/summary')
        .set(t.auth())
        .send(query(20))
        .expect(200);
      expect(res.headers['x-cache']).toBe('MISS');
    }
    expect((await t.control.stats()).analyticsChains).toBe(3);
    const metrics = await request(t.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /gateway_cache_events_total\{cache="analytics",result="error"\} [1-9]/,
    );
  }, 30_000);
});
