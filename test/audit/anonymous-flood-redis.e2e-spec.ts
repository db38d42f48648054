import Redis from 'ioredis';
import { testRedisUrl } from '../utils/test-gateway';
import { ANONYMOUS_KEEP, CAPACITY, floodSpec, TRIM_SLACK } from './anonymous-flood.spec-body';

const redisUrl = testRedisUrl(15);

(redisUrl ? describe : describe.skip)('audit streams under an anonymous flood (Redis)', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(redisUrl as string);
    await redis.flushdb();
  });
  afterAll(() => redis.quit());

  // Approximate MAXLEN trimming keeps up to 2 × 100 trail entries: 10× that.
  floodSpec('Redis', { REDIS_URL: redisUrl as string }, 20 * CAPACITY);

  it('leaves the status change in cxgw:audit and caps cxgw:audit:anonymous', async () => {
    const trail = await redis.xrange('cxgw:audit', '-', '+');
    const actions = trail.map(([, f]) => (JSON.parse(f[1]) as { action: string }).action);
    expect(actions).toContain('status.update');
    const anonymous = await redis.xlen('cxgw:audit:anonymous');
    expect(anonymous).toBeGreaterThan(0);
    expect(anonymous).toBeLessThanOrEqual(ANONYMOUS_KEEP + TRIM_SLACK);
  });
});
