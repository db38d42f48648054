import { Counter, Registry } from 'prom-client';
import { FakeClock } from '../../common/clock/fake-clock.fake';
import type { RedisService } from '../../common/redis/redis.service';
import { TtlCache } from './reporting-cache.service';

const codec = {
  encode: (v: string) => JSON.stringify(v),
  decode: (t: string) => JSON.parse(t) as string,
};

function counter(): Counter<'cache' | 'result'> {
  return new Counter({
    name: 'c',
    help: 'c',
    labelNames: ['cache', 'result'],
    registers: [new Registry()],
  });
}

async function count(c: Counter<'cache' | 'result'>, result: string): Promise<number> {
  const metric = await c.get();
  return metric.values.find((v) => v.labels.result === result)?.value ?? 0;
}

/** A Redis stand-in with just the commands the cache uses; `broken` makes every command fail. */
class FakeRedis {
  readonly store = new Map<string, { value: string; expiresAt: number }>();
  broken = false;
  constructor(private readonly clock: FakeClock) {}
  pipeline() {
    const ops: string[] = [];
    const chain = {
      get: (key: string) => (ops.push(key), chain),
      pttl: () => chain,
      exec: () => {
        if (this.broken) return Promise.reject(new Error('Connection is closed.'));
        const entry = this.store.get(ops[0]);
        const ttl = entry ? entry.expiresAt - this.clock.now() : -2;
        return Promise.resolve(
          entry && ttl > 0
            ? [
                [null, entry.value],
                [null, ttl],
              ]
            : [
                [null, null],
                [null, -2],
              ],
        );
      },
    };
    return chain;
  }
  set(key: string, value: string, _px: 'PX', ttl: number): Promise<'OK'> {
    if (this.broken) return Promise.reject(new Error('Connection is closed.'));
    this.store.set(key, { value, expiresAt: this.clock.now() + ttl });
    return Promise.resolve('OK');
  }
}

describe('TtlCache', () => {
  let clock: FakeClock;
  let metrics: Counter<'cache' | 'result'>;
  const make = (redis: unknown = null, ttlMs = 5000) =>
    new TtlCache<string>(
      { name: 'test', ttlMs, codec },
      clock,
      { client: redis } as RedisService,
      metrics,
    );

  beforeEach(() => {
    clock = new FakeClock();
    metrics = counter();
  });

  it('loads once, then serves hits until the TTL passes', async () => {
    const sut = make();
    const load = jest.fn().mockResolvedValueOnce('v1').mockResolvedValueOnce('v2');
    expect(await sut.get('k', load)).toEqual({ value: 'v1', status: 'MISS' });
    await clock.advance(4999);
    expect(await sut.get('k', load)).toEqual({ value: 'v1', status: 'HIT' });
    await clock.advance(1);
    expect(await sut.get('k', load)).toEqual({ value: 'v2', status: 'MISS' });
    expect(load).toHaveBeenCalledTimes(2);
    expect(await count(metrics, 'hit')).toBe(1);
    expect(await count(metrics, 'miss')).toBe(2);
  });

  it('makes one load for many identical concurrent misses', async () => {
    const sut = make();
    let release: (v: string) => void = () => undefined;
    const load = jest.fn(() => new Promise<string>((r) => (release = r)));
    const all = Promise.all(Array.from({ length: 50 }, () => sut.get('k', load)));
    await Promise.resolve();
    release('v');
    const results = await all;
    expect(load).toHaveBeenCalledTimes(1);
    expect(results.every((r) => r.value === 'v' && r.status === 'MISS')).toBe(true);
  });

  it('does not cache a failed load and lets the next call retry', async () => {
    const sut = make();
    await expect(sut.get('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await sut.get('k', () => Promise.resolve('ok'))).toEqual({
      value: 'ok',
      status: 'MISS',
    });
  });

  it('bypass reloads and refreshes the entry', async () => {
    const sut = make();
    await sut.get('k', () => Promise.resolve('old'));
    expect(await sut.get('k', () => Promise.resolve('new'), true)).toEqual({
      value: 'new',
      status: 'MISS',
    });
    expect(await sut.get('k', () => Promise.resolve('unused'))).toEqual({
      value: 'new',
      status: 'HIT',
    });
  });

  it('shares one load among concurrent bypassing calls', async () => {
    const sut = make();
    const load = jest.fn(() => Promise.resolve('fresh'));
    const results = await Promise.all([sut.get('k', load, true), sut.get('k', load, true)]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.value)).toEqual(['fresh', 'fresh']);
  });

  it('with TTL 0 never serves from cache', async () => {
    const sut = make(null, 0);
    await sut.get('k', () => Promise.resolve('a'));
    expect(await sut.get('k', () => Promise.resolve('b'))).toEqual({ value: 'b', status: 'MISS' });
  });

  it('shares entries between instances through Redis, keeping the remaining TTL', async () => {
    const redis = new FakeRedis(clock);
    const replicaA = make(redis);
    const replicaB = make(redis);
    await replicaA.get('k', () => Promise.resolve('shared'));
    await clock.advance(3000);
    const load = jest.fn(() => Promise.resolve('other'));
    expect(await replicaB.get('k', load)).toEqual({ value: 'shared', status: 'HIT' });
    expect(load).not.toHaveBeenCalled();
    await clock.advance(2000);
    expect(await replicaB.get('k', load)).toEqual({ value: 'other', status: 'MISS' });
  });

  it('fails open when Redis errors, counting the errors', async () => {
    const redis = new FakeRedis(clock);
    redis.broken = true;
    const sut = make(redis);
    expect(await sut.get('k', () => Promise.resolve('v'))).toEqual({ value: 'v', status: 'MISS' });
    expect(await sut.get('k', () => Promise.resolve('x'))).toEqual({ value: 'v', status: 'HIT' });
    expect(await count(metrics, 'error')).toBe(2);
  });
});
