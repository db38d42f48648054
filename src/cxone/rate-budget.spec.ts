import { Logger } from '@nestjs/common';
import { FakeClock } from '../common/clock/fake-clock.fake';
import type { RedisService } from '../common/redis/redis.service';
import { UpstreamBudget } from './rate-budget';

/** The MULTI/INCR/EXPIRE slice of ioredis the shared budget uses. */
class FakeRedisCounter {
  readonly counts = new Map<string, number>();
  readonly expiries = new Map<string, number>();
  fail = false;

  multi() {
    const ops: (() => [null, number])[] = [];
    const chain = {
      incr: (key: string) => {
        ops.push(() => {
          const n = (this.counts.get(key) ?? 0) + 1;
          this.counts.set(key, n);
          return [null, n];
        });
        return chain;
      },
      expire: (key: string, s: number) => {
        ops.push(() => {
          this.expiries.set(key, s);
          return [null, 1];
        });
        return chain;
      },
      exec: () =>
        this.fail
          ? Promise.reject(new Error('Connection is closed.'))
          : Promise.resolve(ops.map((op) => op())),
    };
    return chain;
  }
}

const never = new AbortController().signal;

describe('UpstreamBudget', () => {
  beforeAll(() => Logger.overrideLogger(false));

  function budget(clock: FakeClock, redis: FakeRedisCounter | null = null, maxRps = 4) {
    return new UpstreamBudget(
      { maxRps, maxConcurrency: 2, rateLimitPenaltyMs: 30_000, queueLimit: 100 },
      clock,
      { client: redis } as unknown as RedisService,
    );
  }

  it('limits concurrency and reports in-flight and queued calls', async () => {
    const sut = budget(new FakeClock());
    const gates: (() => void)[] = [];
    const run = () => sut.run(() => new Promise<void>((r) => gates.push(r)), never);
    const calls = [run(), run(), run()];
    await new Promise((r) => setImmediate(r));
    expect(sut.snapshot()).toMatchObject({ inFlight: 2, queued: 1, maxConcurrency: 2 });
    gates.shift()?.();
    await new Promise((r) => setImmediate(r));
    expect(sut.snapshot()).toMatchObject({ inFlight: 2, queued: 0 });
    gates.forEach((g) => g());
    await new Promise((r) => setImmediate(r));
    gates.forEach((g) => g());
    await Promise.all(calls);
    expect(sut.snapshot()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('spaces calls beyond the burst at the configured rate (through the injected clock)', async () => {
    const clock = new FakeClock();
    const sut = budget(clock);
    for (let i = 0; i < 4; i++) await sut.run(() => Promise.resolve(), never);
    expect(clock.sleeps).toEqual([]);
    const fifth = sut.run(() => Promise.resolve('done'), never);
    await new Promise((r) => setImmediate(r));
    expect(clock.sleeps).toEqual([250]);
    await clock.advance(250);
    await expect(fifth).resolves.toBe('done');
  });

  it('halves the rate for 30 s after a 429, then restores it', async () => {
    const clock = new FakeClock();
    const sut = budget(clock);
    sut.onRateLimited();
    expect(sut.snapshot()).toMatchObject({ maxRps: 4, effectiveRps: 2 });
    expect(sut.snapshot().reducedUntil).not.toBeNull();
    await clock.advance(30_000);
    expect(sut.snapshot()).toMatchObject({ effectiveRps: 4, reducedUntil: null });
  });

  it('shares a per-second budget through Redis and waits for the next second when over', async () => {
    const clock = new FakeClock(Date.parse('2026-01-15T12:00:00.400Z'));
    const redis = new FakeRedisCounter();
    const key = `cxgw:cxone:rps:${Math.floor(clock.now() / 1000)}`;
    redis.counts.set(key, 4); // other replicas already used this second's budget
    const sut = budget(clock, redis);
    const call = sut.run(() => Promise.resolve('ok'), never);
    await new Promise((r) => setImmediate(r));
    expect(clock.sleeps).toEqual([600]);
    expect(redis.expiries.get(key)).toBe(2);
    await clock.advance(600);
    await expect(call).resolves.toBe('ok');
    expect(sut.snapshot().shared).toBe(true);
  });

  it('fails open when Redis is down', async () => {
    const redis = new FakeRedisCounter();
    redis.fail = true;
    const sut = budget(new FakeClock(), redis);
    await expect(sut.run(() => Promise.resolve('ok'), never)).resolves.toBe('ok');
  });
});
