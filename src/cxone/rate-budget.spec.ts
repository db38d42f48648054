import { Logger } from '@nestjs/common';
import { BulkheadRejectedError } from 'cockatiel';
import Redis from 'ioredis';
import { FakeClock } from '../common/clock/fake-clock.fake';
import { RedisService } from '../common/redis/redis.service';
import { testRedisUrl } from '../common/redis/test-redis-url.fake';
import type { AppConfig } from '../config/app-config.types';
import { PACING_GAIN } from './dispatch-pacer';
import { UpstreamBudget, type BudgetOptions } from './rate-budget';
import { AttemptFailure } from './upstream-error';

/** The slices of ioredis the budget uses, counting the shared per-second counter. */
class FakeRedis {
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
        ops.push(() => (this.expiries.set(key, s), [null, 1]));
        return chain;
      },
      pexpire: () => chain,
      exec: () => this.answer(ops.map((op) => op())),
    };
    return chain;
  }
  eval = () => this.answer(0);
  hgetall = () => this.answer({});
  mget = () => this.answer([null, null]);

  private answer<T>(value: T): Promise<T> {
    return this.fail ? Promise.reject(new Error('Connection is closed.')) : Promise.resolve(value);
  }
}

const never = new AbortController().signal;
const LATENCY_MS = 50;
const rateLimited = (retryAfterMs?: number) =>
  new AttemptFailure('http', 'agentHistory', { status: 429, retryAfterMs });
const unavailable = () => new AttemptFailure('http', 'agentHistory', { status: 503 });
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('UpstreamBudget', () => {
  beforeAll(() => Logger.overrideLogger(false));

  function setup(options: Partial<BudgetOptions> = {}, redis: unknown = null) {
    const clock = new FakeClock();
    const service = (redis instanceof RedisService ? redis : { client: redis }) as RedisService;
    const sut = new UpstreamBudget({ queueLimit: 100, ...options }, clock, service);
    /** One upstream attempt of LATENCY_MS on the fake clock, ending as `end` says. */
    const call = (end?: () => Error) =>
      sut.run(async () => {
        await clock.sleep(LATENCY_MS);
        if (end) throw end();
        return 'ok';
      }, never);
    /** `width` callers issuing calls back to back for `ms` of fake time. */
    const load = async (width: number, ms: number) => {
      const until = clock.now() + ms;
      const callers = Array.from({ length: width }, async () => {
        while (clock.now() < until) await call();
      });
      while (clock.now() < until) await clock.advance(LATENCY_MS / 2);
      await clock.settle(Promise.all(callers)); // the last (and queued) calls finish
    };
    return { sut, clock, call, load };
  }

  it('keeps calls in flight at the limit and queues the rest', async () => {
    const { sut } = setup({ limit: { initial: 2 } });
    const gates: (() => void)[] = [];
    const calls = Array.from({ length: 5 }, () =>
      sut.run(() => new Promise<void>((resolve) => gates.push(resolve)), never),
    );
    await tick();
    expect(sut.snapshot()).toMatchObject({ limit: 2, inFlight: 2, queued: 3 });
    while (gates.length) {
      gates.shift()?.();
      await tick();
    }
    await Promise.all(calls);
    expect(sut.snapshot()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('refuses calls beyond the queue limit, and an aborted waiter leaves the queue', async () => {
    const { sut } = setup({ limit: { initial: 1 }, queueLimit: 1 });
    let release = () => undefined as void;
    const first = sut.run(() => new Promise<void>((resolve) => (release = resolve)), never);
    const controller = new AbortController();
    const waiting = sut.run(() => Promise.resolve(), controller.signal);
    await expect(sut.run(() => Promise.resolve(), never)).rejects.toThrow(BulkheadRejectedError);
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    expect(sut.snapshot()).toMatchObject({ inFlight: 1, queued: 0 });
    release();
    await first;
  });

  it('starts at 16 with no rate and no ceilings (CXONE_MAX_* unset)', () => {
    expect(setup().sut.snapshot()).toMatchObject({
      limit: 16,
      maxConcurrency: null,
      maxRps: null,
      effectiveRps: null,
      holdUntil: null,
      lastChange: null,
    });
  });

  it('grows while calls succeed at flat latency (fake time)', async () => {
    const { sut, load } = setup({ limit: { initial: 8 } });
    await load(32, 3000);
    const snapshot = sut.snapshot();
    expect(snapshot.limit).toBeGreaterThanOrEqual(12);
    expect(snapshot.latencyMs).toEqual({ recent: 50, baseline: 50 });
    expect(snapshot.lastChange).toMatchObject({
      what: 'limit',
      to: snapshot.limit,
      reason: expect.stringContaining('calls succeed and latency is flat'),
    });
  });

  it('on a 429 with Retry-After: halves the limit, holds new calls until it ends, learns a rate', async () => {
    const { sut, clock, call, load } = setup({ limit: { initial: 16 } });
    await load(16, 1000); // 16 at a time, 50 ms each: 250–320 calls accepted in the last second
    await Promise.all([
      call(() => rateLimited(1000)).catch(() => undefined),
      clock.advance(LATENCY_MS),
    ]);
    const snapshot = sut.snapshot();
    expect(snapshot.limit).toBe(8);
    expect(snapshot.holdUntil).toBe(new Date(clock.now() + 1000).toISOString());
    expect(snapshot.effectiveRps).toBeGreaterThanOrEqual(0.7 * 250);
    expect(snapshot.effectiveRps).toBeLessThanOrEqual(0.7 * 320);
    expect(snapshot.lastChange).toMatchObject({ what: 'rate', from: null });
    // The next call waits out the hold before it is sent.
    const sleepsBefore = clock.sleeps.length;
    let sent = false;
    const next = sut.run(() => Promise.resolve(void (sent = true)), never);
    await clock.whenSleeping();
    expect(clock.sleeps.slice(sleepsBefore)).toEqual([1000]);
    await clock.advance(999);
    expect(sent).toBe(false);
    await clock.advance(1);
    await next;
    expect(sent).toBe(true);
  });

  it('spreads the calls that leave together over the round trip (fake time)', async () => {
    const { sut, clock, call } = setup({ limit: { initial: 4 } });
    await clock.settle(call()); // one answer: 50 ms is the round trip to spread over
    const start = clock.now();
    const sentAt: number[] = [];
    const calls = Array.from({ length: 4 }, () =>
      sut.run(() => Promise.resolve(void sentAt.push(clock.now() - start)), never),
    );
    await clock.settle(Promise.all(calls));
    const spacing = LATENCY_MS / (4 * PACING_GAIN);
    expect(sentAt).toEqual([0, 1, 2, 3].map((i) => Math.ceil(i * spacing)));
  });

  it('stops a call waiting its turn when a 429 with Retry-After comes meanwhile', async () => {
    const { sut, clock, call } = setup({ limit: { initial: 2 } });
    await clock.settle(call());
    const start = clock.now();
    const limited = sut
      .run(async () => {
        await clock.sleep(5);
        throw rateLimited(1000);
      }, never)
      .catch(() => undefined);
    let sentAt: number | undefined;
    const paced = sut.run(() => Promise.resolve(void (sentAt = clock.now() - start)), never);
    await clock.advance(LATENCY_MS); // its turn (13 ms) came, but so did the 429 (at 5 ms)
    expect(sentAt).toBeUndefined();
    await clock.settle(Promise.all([limited, paced]));
    expect(sentAt).toBe(5 + 1000);
  });

  it('halves the limit on a 503 without learning a rate', async () => {
    const { sut, clock, call } = setup({ limit: { initial: 10 } });
    await Promise.all([call(unavailable).catch(() => undefined), clock.advance(LATENCY_MS)]);
    expect(sut.snapshot()).toMatchObject({ limit: 5, effectiveRps: null });
    expect(sut.snapshot().lastChange?.reason).toBe('CXone answered HTTP 503');
  });

  it('leaves per-endpoint throttles of export job calls to their own pacing', async () => {
    const { sut, clock, call } = setup({ limit: { initial: 10 } });
    const throttled = () =>
      new AttemptFailure('http', 'exportCreate', { status: 429, retryAfterMs: 31_000 });
    await Promise.all([call(throttled).catch(() => undefined), clock.advance(LATENCY_MS)]);
    expect(sut.snapshot()).toMatchObject({
      limit: 10,
      holdUntil: null,
      effectiveRps: null,
      lastChange: null,
    });
  });

  it('keeps the limit under CXONE_MAX_CONCURRENCY however well calls go', async () => {
    const { sut, load } = setup({ maxConcurrency: 5 });
    expect(sut.snapshot().limit).toBe(5);
    await load(16, 3000);
    expect(sut.snapshot()).toMatchObject({ limit: 5, maxConcurrency: 5 });
  });

  it('paces calls at CXONE_MAX_RPS, and a learned rate never exceeds it', async () => {
    const { sut, clock, call } = setup({ maxRps: 4 });
    for (let i = 0; i < 4; i++) await sut.run(() => Promise.resolve(), never);
    const fifth = sut.run(() => Promise.resolve('done'), never);
    await clock.whenSleeping();
    expect(clock.sleeps).toEqual([250]);
    await clock.advance(250);
    await expect(fifth).resolves.toBe('done');
    await clock.settle(call(() => rateLimited()).catch(() => undefined));
    expect(sut.snapshot()).toMatchObject({ maxRps: 4, effectiveRps: 3.5 }); // 0.7 × 5 accepted
  });

  it('shares a per-second counter through Redis and waits for the next second when over', async () => {
    const clock = new FakeClock(Date.parse('2026-01-15T12:00:00.400Z'));
    const redis = new FakeRedis();
    const key = `cxgw:cxone:rps:${Math.floor(clock.now() / 1000)}`;
    redis.counts.set(key, 4); // other replicas already used this second's budget
    const sut = new UpstreamBudget({ maxRps: 4, queueLimit: 100 }, clock, {
      client: redis,
    } as unknown as RedisService);
    const call = sut.run(() => Promise.resolve('ok'), never);
    await clock.whenSleeping();
    expect(clock.sleeps).toEqual([600]);
    expect(redis.expiries.get(key)).toBe(2);
    await clock.advance(600);
    await expect(call).resolves.toBe('ok');
    expect(sut.snapshot().shared).toBe(true);
  });

  it('fails open when Redis is down', async () => {
    const redis = new FakeRedis();
    redis.fail = true;
    const { sut, clock, call } = setup({ maxRps: 10 }, redis);
    await expect(sut.run(() => Promise.resolve('ok'), never)).resolves.toBe('ok');
    await Promise.all([call(() => rateLimited(500)).catch(() => undefined), clock.advance(50)]);
    await sut.settled();
    expect(sut.snapshot().limit).toBe(8); // cut from 16 all the same
  });

  const redisUrl = testRedisUrl(9);
  (redisUrl ? describe : describe.skip)('with two replicas on one Redis', () => {
    const services: RedisService[] = [];
    const service = () => {
      const s = new RedisService({ redis: { cacheUrl: redisUrl } } as unknown as AppConfig);
      services.push(s);
      return s;
    };
    beforeEach(async () => {
      const admin = new Redis(redisUrl as string);
      await admin.flushdb();
      await admin.quit();
    });
    afterAll(async () => Promise.all(services.map((s) => s.onApplicationShutdown())));

    it('a 429 seen by one cuts the limit, holds and caps the rate of the other', async () => {
      const a = setup({ limit: { initial: 16 } }, service());
      const b = setup({ limit: { initial: 16 } }, service());
      await a.load(4, 1000); // the tenant accepted ≈ 80 calls in that second, all through A
      await a.sut.settled();
      await Promise.all([
        a.call(() => rateLimited(3000)).catch(() => undefined),
        a.clock.advance(LATENCY_MS),
      ]);
      await a.sut.settled();
      expect(a.sut.snapshot().limit).toBe(8);
      // B's clock is a second on: its next call picks the shared state up.
      b.clock.set(a.clock.now() + 1000);
      await b.sut.run(() => Promise.resolve(), never);
      await b.sut.settled();
      const shared = b.sut.snapshot();
      expect(shared.limit).toBe(8);
      expect(shared.holdUntil).toBe(new Date(a.clock.now() + 3000).toISOString());
      expect(shared.effectiveRps).toBe(a.sut.snapshot().effectiveRps);
      expect(shared.effectiveRps).toBeGreaterThan(40);
      expect(shared.lastChange).toMatchObject({
        what: 'limit',
        reason: expect.stringContaining('429'),
      });
    });
  });
});
