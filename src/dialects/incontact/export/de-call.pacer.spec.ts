import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { FakeClock } from '../../../common/clock/fake-clock.fake';
import type { RedisService } from '../../../common/redis/redis.service';
import { testRedisUrl } from '../../../common/redis/test-redis-url.fake';
import type { AppConfig } from '../../../config/app-config.types';
import { DataExtractionPacer, DE_CALL_INTERVAL_MS } from './de-call.pacer';

function pacer(clock: FakeClock, client: Redis | null, accessKeyId = 'KEY'): DataExtractionPacer {
  const config = {
    cxone: { incontact: { issuer: 'https://cxone.example', accessKeyId } },
  } as unknown as AppConfig;
  return new DataExtractionPacer(config, clock, { client } as unknown as RedisService);
}

/** Resolves with the clock time at which the call was let through. */
async function sentAt(clock: FakeClock, call: Promise<void>): Promise<number> {
  await clock.settle(call);
  return clock.now();
}

describe('DataExtractionPacer', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('lets the first create through at once and spaces the next one 31 s after it', async () => {
    const clock = new FakeClock();
    const sut = pacer(clock, null);
    const t0 = clock.now();
    expect(await sentAt(clock, sut.beforeCall('create'))).toBe(t0);
    await clock.advance(10_000);
    expect(await sentAt(clock, sut.beforeCall('create'))).toBe(t0 + DE_CALL_INTERVAL_MS);
    expect(clock.sleeps).toEqual([21_000]);
  });

  it('lets polls through freely until the tenant throttles one, then spaces every call', async () => {
    const clock = new FakeClock();
    const sut = pacer(clock, null);
    const t0 = clock.now();
    await sut.beforeCall('create');
    await clock.advance(5000);
    await sut.beforeCall('get');
    await sut.beforeCall('get');
    expect(clock.sleeps).toEqual([]);
    await sut.throttled('get');
    // A throttle answer holds every call for 31 s from then ...
    expect(await sentAt(clock, sut.beforeCall('get'))).toBe(t0 + 5000 + DE_CALL_INTERVAL_MS);
    // ... and from then on polls are spaced like creates.
    expect(await sentAt(clock, sut.beforeCall('list'))).toBe(t0 + 5000 + 2 * DE_CALL_INTERVAL_MS);
  });

  it('after a throttled create that followed the spacing, spaces every call', async () => {
    const clock = new FakeClock();
    const sut = pacer(clock, null);
    await sut.beforeCall('create');
    await clock.advance(40_000);
    await sut.beforeCall('list');
    await sut.beforeCall('create');
    await sut.throttled('create');
    const throttledAt = clock.now();
    expect(await sentAt(clock, sut.beforeCall('get'))).toBe(throttledAt + DE_CALL_INTERVAL_MS);
    expect(await sentAt(clock, sut.beforeCall('get'))).toBe(throttledAt + 2 * DE_CALL_INTERVAL_MS);
  });

  it('gives up a wait when the signal aborts', async () => {
    const clock = new FakeClock();
    const sut = pacer(clock, null);
    await sut.beforeCall('create');
    const controller = new AbortController();
    const waiting = sut.beforeCall('create', controller.signal);
    await clock.whenSleeping();
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
  });
});

const redisUrl = testRedisUrl(11);
const describeRedis = redisUrl ? describe : describe.skip;

describeRedis('DataExtractionPacer (Redis: replicas share the pacing)', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redisUrl as string, { maxRetriesPerRequest: 1 });
  });
  afterAll(() => client.quit());

  it('spaces creates across replicas of one tenant, not across tenants', async () => {
    const clock = new FakeClock(Date.now());
    const key = randomUUID();
    const a = pacer(clock, client, key);
    const b = pacer(clock, client, key);
    const other = pacer(clock, client, randomUUID());
    const t0 = clock.now();
    await a.beforeCall('create');
    expect(await sentAt(clock, other.beforeCall('create'))).toBe(t0);
    expect(await sentAt(clock, b.beforeCall('create'))).toBe(t0 + DE_CALL_INTERVAL_MS);
  });

  it('shares a throttle answer with the other replicas', async () => {
    const clock = new FakeClock(Date.now());
    const key = randomUUID();
    const a = pacer(clock, client, key);
    const b = pacer(clock, client, key);
    await a.beforeCall('get');
    await a.throttled('get');
    const throttledAt = clock.now();
    expect(await sentAt(clock, b.beforeCall('get'))).toBe(throttledAt + DE_CALL_INTERVAL_MS);
  });

  it('falls back to its own memory when Redis fails', async () => {
    const clock = new FakeClock();
    const broken = {
      hgetall: () => Promise.reject(new Error('Connection is closed.')),
      multi: () => ({
        hset() {
          return this;
        },
        pexpire() {
          return this;
        },
        exec: () => Promise.reject(new Error('Connection is closed.')),
      }),
    } as unknown as Redis;
    const sut = pacer(clock, broken);
    const t0 = clock.now();
    await sut.beforeCall('create');
    expect(await sentAt(clock, sut.beforeCall('create'))).toBe(t0 + DE_CALL_INTERVAL_MS);
  });
});
