import Redis from 'ioredis';
import { FakeClock } from '../../common/clock/fake-clock.fake';
import { testRedisUrl } from '../../common/redis/test-redis-url.fake';
import { MemoryBuckets } from './memory-buckets';
import { SharedBuckets } from './shared-buckets';

const url = testRedisUrl(13);
const describeRedis = url ? describe : describe.skip;

/** Drains a take that may or may not have needed Redis. */
const take = async (buckets: SharedBuckets, id: string, spec: { rps: number; burst: number }) =>
  buckets.take(id, spec);

describeRedis('SharedBuckets (real Redis, two replicas)', () => {
  let clock: FakeClock;
  let redisA: Redis;
  let redisB: Redis;
  let a: SharedBuckets;
  let b: SharedBuckets;
  // A fresh bucket id per test: nothing to clean, no other spec's keys touched.
  let id: string;
  let n = 0;

  beforeAll(async () => {
    redisA = new Redis(url as string, { maxRetriesPerRequest: 1 });
    redisB = new Redis(url as string, { maxRetriesPerRequest: 1 });
    await Promise.all([redisA.ping(), redisB.ping()]);
  });
  afterAll(async () => {
    await redisA.quit();
    await redisB.quit();
  });
  beforeEach(() => {
    clock = new FakeClock();
    a = new SharedBuckets(redisA, clock, new MemoryBuckets());
    b = new SharedBuckets(redisB, clock, new MemoryBuckets());
    id = `spec-${process.pid}-${Date.now()}-${n++}:requests`;
  });

  it('admits the limit once across both replicas, not once per replica', async () => {
    const spec = { rps: 2, burst: 4 };
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push(await take(a, id, spec));
      answers.push(await take(b, id, spec));
    }
    expect(answers.filter((ms) => ms === 0)).toHaveLength(4);
    expect(answers.slice(4).every((ms) => ms === 500)).toBe(true);
    await clock.advance(500);
    expect([await take(b, id, spec), await take(a, id, spec)]).toEqual([0, 500]);
  });

  it('asks Redis once per batch of a tenth of the rate, and admits no more than the limit', async () => {
    const spec = { rps: 100, burst: 100 };
    const evalA = jest.spyOn(redisA, 'eval');
    const answers: number[] = [];
    for (let i = 0; i < 60; i++) answers.push(await take(a, id, spec));
    expect(answers.every((ms) => ms === 0)).toBe(true);
    expect(evalA).toHaveBeenCalledTimes(6);
    for (let i = 0; i < 60; i++) answers.push(await take(b, id, spec));
    expect(answers.filter((ms) => ms === 0)).toHaveLength(100);
    evalA.mockRestore();
  });

  it('shares one Redis call among concurrent requests', async () => {
    const spec = { rps: 100, burst: 100 };
    const evalA = jest.spyOn(redisA, 'eval');
    const answers = await Promise.all(Array.from({ length: 10 }, () => take(a, id, spec)));
    expect(answers).toEqual(Array(10).fill(0));
    expect(evalA).toHaveBeenCalledTimes(1);
    evalA.mockRestore();
  });

  it('asks for as many tokens as requests are waiting, never admitting past the burst', async () => {
    const spec = { rps: 2, burst: 4 };
    const evalA = jest.spyOn(redisA, 'eval');
    const answers = await Promise.all(Array.from({ length: 6 }, () => take(a, id, spec)));
    expect(answers.filter((ms) => ms === 0)).toHaveLength(4);
    expect(answers.filter((ms) => ms === 500)).toHaveLength(2);
    // One call granted the four, one more found the bucket empty.
    expect(evalA).toHaveBeenCalledTimes(2);
    evalA.mockRestore();
  });

  it('refuses locally, without asking Redis, until the next token is due', async () => {
    const spec = { rps: 1, burst: 1 };
    expect(await take(a, id, spec)).toBe(0);
    expect(await take(a, id, spec)).toBe(1000);
    const evalA = jest.spyOn(redisA, 'eval');
    await clock.advance(400);
    expect(a.take(id, spec)).toBe(600);
    expect(evalA).not.toHaveBeenCalled();
    await clock.advance(600);
    expect(await take(a, id, spec)).toBe(0);
    expect(evalA).toHaveBeenCalledTimes(1);
    evalA.mockRestore();
  });

  it('falls back to its own memory buckets when a Redis call fails, then returns to Redis', async () => {
    const spec = { rps: 1, burst: 2 };
    const evalA = jest.spyOn(redisA, 'eval').mockRejectedValueOnce(new Error('connection lost'));
    const answers = [await take(a, id, spec), await take(a, id, spec), await take(a, id, spec)];
    expect(answers).toEqual([0, 0, 1000]);
    // Redis never saw those: the other replica still has the whole burst there.
    expect([await take(b, id, spec), await take(b, id, spec)]).toEqual([0, 0]);
    await clock.advance(5_000);
    evalA.mockClear();
    expect(await take(a, id, spec)).toBe(0);
    expect(evalA).toHaveBeenCalledTimes(1);
    evalA.mockRestore();
  });

  it('uses memory without waiting while the connection is not ready', () => {
    const offline = new Redis(url as string, { lazyConnect: true, enableOfflineQueue: false });
    const buckets = new SharedBuckets(offline, clock, new MemoryBuckets());
    const spec = { rps: 1, burst: 1 };
    expect([buckets.take(id, spec), buckets.take(id, spec)]).toEqual([0, 1000]);
    offline.disconnect();
  });
});
