import request from 'supertest';
import { FakeClock } from '../../src/common/clock/fake-clock.fake';
import { startSandbox, SandboxHandle } from '../../src/sandbox/sandbox.server';
import { answerOf, fastPathAnswers, PER_REQUEST_AUDIT } from '../utils/fast-path';
import { startTestGateway, TestGateway } from '../utils/test-gateway';
import { LimitKey, limitKeys, SMALL_LIMITS } from './limit-keys';

const SUMMARY = {
  metrics: ['handle_time'],
  dimensions: ['date'],
  start: '2026-01-01T00:00:00Z',
  end: '2026-01-02T00:00:00Z',
};

/**
 * The rate limit on the cache-hit fast path: hits answered before Nest's pipeline spend the
 * key's tokens like any request, and beyond the limit the 429 (headers, body, audit) is the one
 * the normal route gives, byte for byte: one gateway with the fast path, one without.
 */
describe('rate limits on the cache-hit fast path (e2e)', () => {
  let clock: FakeClock;
  let sandbox: SandboxHandle;
  let fast: TestGateway;
  let normal: TestGateway;
  const { keys, env } = limitKeys({ hammer: undefined, auditor: { rps: 0 } });

  beforeAll(async () => {
    clock = new FakeClock();
    sandbox = await startSandbox({ port: 0 }, () => clock.now());
    const base = { ...SMALL_LIMITS, API_KEYS: env, QUEUE_STATS_TTL_S: '3600' };
    fast = await startTestGateway({ sharedSandbox: sandbox, clock, env: base });
    normal = await startTestGateway({
      sharedSandbox: sandbox,
      clock,
      env: { ...base, CACHE_FAST_PATH: 'false' },
    });
  });
  afterAll(async () => {
    await fast.close();
    await normal.close();
    await sandbox.close();
  });
  beforeEach(() => clock.advance(60_000));

  const send = (t: TestGateway, who: LimitKey, route: 'stats' | 'summary') =>
    route === 'stats'
      ? request(t.url).get('/v1/queues/stats').set('authorization', `Bearer ${who.key}`)
      : request(t.url)
          .post('/v1/analytics/summary')
          .set('authorization', `Bearer ${who.key}`)
          .send(SUMMARY);

  it.each(['stats', 'summary'] as const)(
    'answers %s hits until the limit and then the same 429 as the normal route',
    async (route) => {
      const before = await fastPathAnswers(fast);
      const statuses: number[] = [];
      // Burst 10: a miss, nine hits, then refused (the 12th too).
      for (let i = 0; i < 12; i++) {
        const viaFast = await send(fast, keys.hammer, route);
        const viaNormal = await send(normal, keys.hammer, route);
        expect({ i, ...answerOf(viaFast) }).toEqual({ i, ...answerOf(viaNormal) });
        statuses.push(viaFast.status);
      }
      expect(statuses).toEqual([...Array<number>(10).fill(200), 429, 429]);
      // The hits took the fast path (and spent tokens there); the 429s did not.
      expect((await fastPathAnswers(fast)) - before).toBe(9);
      // Both gateways get every request, so their audit trails can be compared below.
      const [refused] = await Promise.all([
        send(fast, keys.hammer, route).expect(429),
        send(normal, keys.hammer, route).expect(429),
      ]);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', limit: 'requests', burst: 10 });
      // Once Retry-After has passed, the next hit is answered by the fast path again.
      await clock.advance(1000);
      await send(fast, keys.hammer, route).expect(200);
      await send(normal, keys.hammer, route).expect(200);
      expect((await fastPathAnswers(fast)) - before).toBe(10);
    },
  );

  it('records the same audit facts for the 429s on both paths, naming the key', async () => {
    const audit = async (t: TestGateway) => {
      const res = await request(t.url)
        .get(`/v1/audit?actor=${keys.hammer.name}&limit=1000`)
        .set('authorization', `Bearer ${keys.auditor.key}`)
        .expect(200);
      return (res.body as { records: Record<string, unknown>[] }).records.map((r) =>
        Object.fromEntries(Object.entries(r).filter(([k]) => !PER_REQUEST_AUDIT.includes(k))),
      );
    };
    const viaFast = await audit(fast);
    expect(viaFast).toEqual(await audit(normal));
    const refused = viaFast.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    expect(refused.every((r) => r.actor === keys.hammer.name && r.outcome === 'client_error')).toBe(
      true,
    );
  });
});
