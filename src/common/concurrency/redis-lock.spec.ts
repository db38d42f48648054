import Redis from 'ioredis';
import { FakeClock } from '../clock/fake-clock.fake';
import { testRedisUrl } from '../redis/test-redis-url.fake';
import { RedisLock } from './redis-lock';

const url = testRedisUrl(6);
const describeRedis = url ? describe : describe.skip;

describeRedis('RedisLock (real Redis)', () => {
  let redis: Redis;
  const key = `cxgw:test:lock:${process.pid}`;

  beforeAll(() => {
    redis = new Redis(url as string, { lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await redis.del(key);
    await redis.quit();
  });
  beforeEach(() => redis.del(key));

  it('is held by one holder at a time and free again once released', async () => {
    const lock = new RedisLock(redis, key, 10_000);
    const first = await lock.tryAcquire();
    expect(first).toBeDefined();
    expect(await lock.tryAcquire()).toBeUndefined();
    expect(await lock.isHeld()).toBe(true);
    await first?.release();
    expect(await lock.isHeld()).toBe(false);
    expect(await lock.tryAcquire()).toBeDefined();
  });

  it('never releases or renews a lock that someone else holds now', async () => {
    const lock = new RedisLock(redis, key, 10_000);
    const stale = await lock.tryAcquire();
    // Its TTL ran out and another holder took the key.
    await redis.set(key, 'someone-else');
    await stale?.release();
    expect(await redis.get(key)).toBe('someone-else');
    expect(await stale?.extend()).toBe(false);
  });

  it('renews its own lock', async () => {
    const lock = new RedisLock(redis, key, 1_000);
    const held = await lock.tryAcquire();
    expect(await held?.extend(60_000)).toBe(true);
    expect(await redis.pttl(key)).toBeGreaterThan(1_000);
  });

  it('acquire waits on the clock for the holder, then gives up without it', async () => {
    const clock = new FakeClock();
    const lock = new RedisLock(redis, key, 10_000);
    await lock.tryAcquire();
    const waiting = lock.acquire({ clock, waitMs: 100, retryMs: 25 });
    await clock.whenSleeping(1);
    await clock.advance(200);
    expect(await waiting).toBeUndefined();
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(1);
  });
});
