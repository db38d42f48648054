import Redis from 'ioredis';
import request from 'supertest';
import { FakeClock } from '../../src/common/clock/fake-clock.fake';
import { startSandbox, SandboxHandle } from '../../src/sandbox/sandbox.server';
import { answerOf, fastPathAnswers, PER_REQUEST_AUDIT } from '../utils/fast-path';
import { startTestGateway, TestGateway, testRedisUrl, TEST_KEYS } from '../utils/test-gateway';

/** One database per gateway: they must not share a cache, or one would answer the other's miss. */
const FAST_DB = 10;
const NORMAL_DB = 11;
const describeRedis = testRedisUrl(FAST_DB) ? describe : describe.skip;

/**
 * With Redis the per-key limit is asked of Redis, so the replay before the router decides
 * asynchronously: hits, misses, refusals and refreshes must still answer exactly as the normal
 * route does, each recorded once in the audit.
 */
describeRedis('cache-hit fast path with Redis (e2e, real Redis)', () => {
  let clock: FakeClock;
  let sandbox: SandboxHandle;
  let fast: TestGateway;
  let normal: TestGateway;

  beforeAll(async () => {
    for (const db of [FAST_DB, NORMAL_DB]) {
      const redis = new Redis(testRedisUrl(db) as string);
      await redis.flushdb();
      redis.disconnect();
    }
    clock = new FakeClock();
    sandbox = await startSandbox({ port: 0 }, () => clock.now());
    const env = { QUEUE_STATS_TTL_S: '60' };
    fast = await startTestGateway({
      sharedSandbox: sandbox,
      clock,
      env: { ...env, REDIS_URL: testRedisUrl(FAST_DB) as string },
    });
    normal = await startTestGateway({
      sharedSandbox: sandbox,
      clock,
      env: { ...env, REDIS_URL: testRedisUrl(NORMAL_DB) as string, CACHE_FAST_PATH: 'false' },
    });
  });
  afterAll(async () => {
    await fast.close();
    await normal.close();
    await sandbox.close();
  });

  const steps: { name: string; key?: string; headers?: Record<string, string> }[] = [
    { name: 'miss' },
    { name: 'hit' },
    { name: 'hit again' },
    { name: 'bad key', key: 'not-a-key' },
    { name: 'missing scope', key: TEST_KEYS.none },
    { name: 'no-cache', headers: { 'cache-control': 'no-cache' } },
    { name: 'first hit after refresh' },
    { name: 'hit after refresh' },
  ];

  const send = async (t: TestGateway, step: (typeof steps)[number]) =>
    answerOf(
      await request(t.url)
        .get('/v1/queues/stats')
        .set(step.headers ?? {})
        .set('authorization', `Bearer ${step.key ?? TEST_KEYS.reporting}`),
    );

  it('answers every step like the normal route, the hits from the recording', async () => {
    const before = await fastPathAnswers(fast);
    for (const step of steps) {
      const viaFast = await send(fast, step);
      const viaNormal = await send(normal, step);
      expect({ step: step.name, ...viaFast }).toEqual({ step: step.name, ...viaNormal });
    }
    // hit, hit again, hit after refresh (the first after the refresh met a replaced entry).
    expect((await fastPathAnswers(fast)) - before).toBe(3);
  });

  it('answers analytics summary POSTs like the normal route: the body read before the router, handed back after Redis', async () => {
    const body = {
      metrics: ['handle_time'],
      dimensions: ['channel'],
      start: '2026-11-01T00:00:00Z',
      end: '2026-11-02T00:00:00Z',
    };
    const post = async (t: TestGateway, step: (typeof steps)[number]) =>
      answerOf(
        await request(t.url)
          .post('/v1/analytics/summary')
          .set(step.headers ?? {})
          .set('authorization', `Bearer ${step.key ?? TEST_KEYS.all}`)
          .send(body),
      );
    const before = await fastPathAnswers(fast);
    for (const step of steps) {
      // A refresh in the same millisecond would store the same version: the entry would not change.
      if (step.name === 'no-cache') await clock.advance(1_000);
      const viaFast = await post(fast, step);
      const viaNormal = await post(normal, step);
      expect({ step: step.name, ...viaFast }).toEqual({ step: step.name, ...viaNormal });
    }
    // As for the GET: the first hit after the refresh met a replaced entry (decided after Redis
    // answered) and was handed, body and all, to the normal route.
    expect((await fastPathAnswers(fast)) - before).toBe(3);
  });

  it('records the same audit facts, each request once', async () => {
    const audit = async (t: TestGateway) => {
      const res = await request(t.url).get('/v1/audit').query({ limit: 100 }).set(t.auth());
      return (res.body as { records: Record<string, unknown>[] }).records
        .filter((r) => r.route === '/v1/queues/stats' || r.route === '/v1/analytics/summary')
        .map((r) =>
          Object.fromEntries(Object.entries(r).filter(([k]) => !PER_REQUEST_AUDIT.includes(k))),
        );
    };
    const viaFast = await audit(fast);
    // Every step with an identified caller (the bad key is anonymous, kept elsewhere).
    expect(viaFast).toHaveLength(2 * (steps.length - 1));
    expect(viaFast).toEqual(await audit(normal));
  });
});
