import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import { FakeClock } from '../clock/fake-clock.fake';
import { SharedCache } from './shared-cache';
import { TtlCache, type CacheEvent } from './ttl-cache';

const codec = {
  encode: (v: string) => JSON.stringify(v),
  decode: (t: string) => JSON.parse(t) as string,
};

/**
 * A real cache-manager over a Keyv map store standing in for Redis (values are serialized, as
 * in Redis); `broken` makes every store operation fail, as a Redis outage does.
 */
function sharedStore(): { cache: SharedCache; breakIt(): void } {
  const map = new Map<string, unknown>();
  let broken = false;
  const store = {
    get: (k: string) => (broken ? Promise.reject(new Error('Connection is closed.')) : map.get(k)),
    set: (k: string, v: unknown) => {
      if (broken) return Promise.reject(new Error('Connection is closed.'));
      map.set(k, v);
      return true;
    },
    delete: (k: string) => map.delete(k),
    clear: () => map.clear(),
    has: (k: string) => map.has(k),
  };
  const keyv = new Keyv({ store: store, throwOnErrors: true });
  keyv.on('error', () => undefined);
  return {
    cache: new SharedCache(createCache({ stores: [keyv] })),
    breakIt: () => {
      broken = true;
    },
  };
}

describe('TtlCache', () => {
  let clock: FakeClock;
  let events: CacheEvent[];
  const count = (event: CacheEvent): number => events.filter((e) => e === event).length;
  const make = (shared?: SharedCache, ttlMs = 5000) =>
    new TtlCache<string>(
      { name: 'test', ttlMs, codec, onEvent: (e) => events.push(e) },
      clock,
      shared,
    );

  beforeEach(() => {
    clock = new FakeClock();
    events = [];
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
    expect(count('hit')).toBe(1);
    expect(count('miss')).toBe(2);
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
    const sut = make(undefined, 0);
    await sut.get('k', () => Promise.resolve('a'));
    expect(await sut.get('k', () => Promise.resolve('b'))).toEqual({ value: 'b', status: 'MISS' });
  });

  it('shares entries between instances through the shared store, keeping the remaining TTL', async () => {
    const { cache } = sharedStore();
    const replicaA = make(cache);
    const replicaB = make(cache);
    await replicaA.get('k', () => Promise.resolve('shared'));
    await clock.advance(3000);
    const load = jest.fn(() => Promise.resolve('other'));
    expect(await replicaB.get('k', load)).toEqual({ value: 'shared', status: 'HIT' });
    expect(load).not.toHaveBeenCalled();
    await clock.advance(2000);
    expect(await replicaB.get('k', load)).toEqual({ value: 'other', status: 'MISS' });
  });

  it('fails open when the shared store errors, counting the errors', async () => {
    const { cache, breakIt } = sharedStore();
    breakIt();
    const sut = make(cache);
    expect(await sut.get('k', () => Promise.resolve('v'))).toEqual({ value: 'v', status: 'MISS' });
    expect(await sut.get('k', () => Promise.resolve('x'))).toEqual({ value: 'v', status: 'HIT' });
    expect(count('error')).toBe(2);
  });
});
