import request from 'supertest';
import { FakeClock } from '../../src/common/clock/fake-clock.fake';
import { startSandbox, SandboxHandle } from '../../src/sandbox/sandbox.server';
import { startTestGateway, TestGateway, testRedisUrl } from '../utils/test-gateway';
import { LimitKey, limitKeys, SMALL_LIMITS } from './limit-keys';

const REDIS_DB = 13;
const describeRedis = testRedisUrl(REDIS_DB) ? describe : describe.skip;
const NO_CACHE = { 'cache-control': 'no-cache' };

/**
 * Two replicas on one real Redis share each key's limits: a key sending to both gets its limit
 * once, not once per replica. (Keys are named per run, so no flush is needed.)
 */
describeRedis('per-key rate limits across two replicas (e2e, real Redis)', () => {
  let clock: FakeClock;
  let sandbox: SandboxHandle;
  let a: TestGateway;
  let b: TestGateway;
  const { keys, env } = limitKeys({
    hammer: undefined,
    bystander: undefined,
    vip: { rps: 100, bypassRps: 10, bypassBurst: 20 },
  });

  beforeAll(async () => {
    clock = new FakeClock();
    sandbox = await startSandbox({ port: 0 }, () => clock.now());
    const gatewayEnv = {
      ...SMALL_LIMITS,
      API_KEYS: env,
      REDIS_URL: testRedisUrl(REDIS_DB) as string,
      QUEUE_STATS_TTL_S: '3600',
    };
    [a, b] = await Promise.all([
      startTestGateway({ sharedSandbox: sandbox, clock, env: gatewayEnv }),
      startTestGateway({ sharedSandbox: sandbox, clock, env: gatewayEnv }),
    ]);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await sandbox.close();
  });
  beforeEach(() => clock.advance(60_000));

  const stats = (t: TestGateway, who: LimitKey, headers: Record<string, string> = {}) =>
    request(t.url).get('/v1/queues/stats').set(headers).set('authorization', `Bearer ${who.key}`);
  /** Sends `n` requests alternately to both replicas; the statuses in order. */
  const alternate = async (n: number, who: LimitKey, headers: Record<string, string> = {}) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await stats(i % 2 ? b : a, who, headers)).status);
    return out;
  };

  it('admits a key hammering both replicas with no-cache to its bypass limit once, in total', async () => {
    expect(await alternate(8, keys.hammer, NO_CACHE)).toEqual([
      200, 200, 200, 429, 429, 429, 429, 429,
    ]);
    // The requests limit is shared too: 10 in the burst, 8 spent above.
    expect(await alternate(4, keys.hammer)).toEqual([200, 200, 429, 429]);
    const refused = await stats(b, keys.hammer);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    // Another key still has its own limits on both replicas.
    expect(await alternate(4, keys.bystander, NO_CACHE)).toEqual([200, 200, 200, 429]);
  });

  it('refills the shared bucket with the shared clock, on either replica', async () => {
    await alternate(3, keys.hammer, NO_CACHE);
    await stats(a, keys.hammer, NO_CACHE).expect(429);
    await clock.advance(1000);
    await stats(b, keys.hammer, NO_CACHE).expect(200);
    await stats(a, keys.hammer, NO_CACHE).expect(429);
  });

  it("applies a key's own limits from API_KEYS across both replicas", async () => {
    const statuses = await alternate(24, keys.vip, NO_CACHE);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429]);
  });
});
