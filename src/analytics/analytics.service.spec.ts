import { Logger } from '@nestjs/common';
import { createCache, type Cache } from 'cache-manager';
import { Keyv } from 'keyv';
import { FakeClock } from '../common/clock/fake-clock.fake';
import { AppError } from '../common/errors/app-error';
import type { ErrorCode } from '../common/errors/error-codes';
import { RedisService } from '../common/redis/redis.service';
import { parseConfig } from '../config/app-config';
import type { AppConfig } from '../config/app-config.types';
import { MetricsService } from '../observability/metrics.service';
import type { NormalizedQuery } from './analytics-query';
import { AnalyticsQueryInput, AnalyticsQueryValidator } from './analytics-query.validator';
import { AnalyticsService } from './analytics.service';
import { AnalyticsCacheService, STALE_WINDOW_MS } from './cache/analytics-cache.service';
import { cacheStoreOptions } from '../common/cache/cache-stores';
import { rowsWeight } from './cache/analytics-cache.types';
import type { AnalyticsSource, AnalyticsSourceResult } from './analytics.source';

/** A scripted upstream: counts chains, answers after `release()` when `hold` is set. */
class FakeSource implements AnalyticsSource {
  calls = 0;
  failWith?: ErrorCode;
  hold = false;
  private waiters: (() => void)[] = [];

  async query(query: NormalizedQuery): Promise<AnalyticsSourceResult> {
    this.calls += 1;
    if (this.hold) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failWith) throw new AppError(this.failWith, 'upstream says no');
    const rows = query.dimensions.includes('channel')
      ? [
          { channel: 'voice', handle_time: '300', talk_time: 150 },
          { channel: 'chat', handle_time: 500, talk_time: 400 },
        ]
      : [{ handle_time: 400, talk_time: 275 }];
    return { rows, pages: 1 };
  }

  release(): void {
    this.waiters.splice(0).forEach((w) => w());
  }
}

const input: AnalyticsQueryInput = {
  metrics: ['handle_time', 'talk_time'],
  dimensions: ['channel'],
  start: '2024-05-01',
  end: '2024-05-02',
};

function build(config: AppConfig = parseConfig({ ANALYTICS_CACHE_TTL_S: '60' }), cache?: Cache) {
  const clock = new FakeClock();
  const metrics = new MetricsService();
  const source = new FakeSource();
  const store = cache ?? createCache(cacheStoreOptions(config, rowsWeight) as { stores: Keyv[] });
  const redis = { client: null } as unknown as RedisService;
  const cacheService = new AnalyticsCacheService(store, config, redis, clock, metrics);
  const sut = new AnalyticsService(
    new AnalyticsQueryValidator(config),
    cacheService,
    source,
    clock,
    config,
  );
  return { sut, clock, source, metrics, cacheService };
}

describe('AnalyticsService', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('answers MISS, then HIT from the cache without calling upstream again', async () => {
    const { sut, source, clock } = build();
    const first = await sut.summary(input, { noCache: false });
    await clock.advance(5000);
    const second = await sut.summary(
      { ...input, metrics: ['talk_time', 'handle_time'] },
      { noCache: false },
    );
    expect(first.status).toBe('MISS');
    expect(second.status).toBe('HIT');
    expect(second.ageSeconds).toBe(5);
    expect(second.payload).toBe(first.payload);
    expect(second.etag).toBe(first.etag);
    expect(source.calls).toBe(1);
    expect(first.payload.rows.map((r) => r.channel)).toEqual(['chat', 'voice']);
    expect(first.payload.rows[1]).toMatchObject({ handle_time: 300, talk_ratio: 0.5 });
  });

  it('runs one upstream chain for 50 concurrent identical cold queries', async () => {
    const { sut, source } = build();
    source.hold = true;
    const all = Promise.all(
      Array.from({ length: 50 }, () => sut.summary(input, { noCache: false })),
    );
    await new Promise((r) => setImmediate(r));
    source.release();
    const results = await all;
    expect(source.calls).toBe(1);
    expect(new Set(results.map((r) => r.etag)).size).toBe(1);
    expect(results.every((r) => r.status === 'MISS')).toBe(true);
  });

  it('refreshes on no-cache', async () => {
    const { sut, source } = build();
    await sut.summary(input, { noCache: false });
    const forced = await sut.summary(input, { noCache: true });
    expect(forced.status).toBe('MISS');
    expect(source.calls).toBe(2);
  });

  it('treats entries older than maxAgeS as misses (the seed route cache_ttl)', async () => {
    const { sut, source, clock } = build();
    await sut.summary(input, { noCache: false });
    await clock.advance(10_000);
    expect((await sut.summary(input, { noCache: false, maxAgeS: 20 })).status).toBe('HIT');
    expect((await sut.summary(input, { noCache: false, maxAgeS: 5 })).status).toBe('MISS');
    expect(source.calls).toBe(2);
  });

  it.each<ErrorCode>([
    'UPSTREAM_UNAVAILABLE',
    'UPSTREAM_TIMEOUT',
    'CIRCUIT_OPEN',
    'RATE_LIMITED',
    'UPSTREAM_ERROR',
  ])('serves an expired entry STALE when upstream fails with %s', async (code) => {
    const { sut, source, clock, metrics } = build();
    const fresh = await sut.summary(input, { noCache: false });
    await clock.advance(61_000);
    source.failWith = code;
    const stale = await sut.summary(input, { noCache: false });
    expect(stale.status).toBe('STALE');
    expect(stale.ageSeconds).toBe(61);
    expect(stale.etag).toBe(fresh.etag);
    const forced = await sut.summary(input, { noCache: true });
    expect(forced.status).toBe('STALE');
    const counted = await metrics.registry.getSingleMetricAsString('gateway_cache_events_total');
    expect(counted).toContain('cache="analytics",result="stale"} 2');
  });

  it('rethrows when there is nothing stored or the error is the caller’s', async () => {
    const { sut, source, clock } = build();
    source.failWith = 'UPSTREAM_UNAVAILABLE';
    await expect(sut.summary(input, { noCache: false })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
    source.failWith = undefined;
    await sut.summary(input, { noCache: false });
    await clock.advance(61_000);
    source.failWith = 'UPSTREAM_BAD_REQUEST';
    await expect(sut.summary(input, { noCache: false })).rejects.toMatchObject({
      code: 'UPSTREAM_BAD_REQUEST',
    });
  });

  it('forgets entries after the stale window', async () => {
    const { sut, source, clock } = build();
    await sut.summary(input, { noCache: false });
    await clock.advance(60_000 + STALE_WINDOW_MS + 1);
    source.failWith = 'UPSTREAM_UNAVAILABLE';
    await expect(sut.summary(input, { noCache: false })).rejects.toBeInstanceOf(AppError);
  });

  it('flags If-None-Match matches (exact, weak, lists, *)', async () => {
    const { sut } = build();
    const { etag } = await sut.summary(input, { noCache: false });
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      expect((await sut.summary(input, { noCache: false, ifNoneMatch: header })).notModified).toBe(
        true,
      );
    }
    expect((await sut.summary(input, { noCache: false, ifNoneMatch: '"nope"' })).notModified).toBe(
      false,
    );
  });

  it('fails open when the cache store errors: the query still runs and errors are counted', async () => {
    const broken = createCache({
      stores: [
        new Keyv({
          store: {
            get: () => Promise.reject(new Error('down')),
            set: () => Promise.reject(new Error('down')),
            delete: () => Promise.reject(new Error('down')),
            clear: () => Promise.reject(new Error('down')),
          },
          throwOnErrors: true,
        }),
      ],
    });
    const config = parseConfig({ REDIS_URL: 'redis://127.0.0.1:1' });
    const { sut, source, metrics, cacheService } = build(config, broken);
    expect(cacheService.cacheHealthy()).toBe(true);
    const a = await sut.summary(input, { noCache: false });
    const b = await sut.summary(input, { noCache: false });
    expect([a.status, b.status]).toEqual(['MISS', 'MISS']);
    expect(source.calls).toBe(2);
    const counted = await metrics.registry.getSingleMetricAsString('gateway_cache_events_total');
    expect(counted).toContain('cache="analytics",result="error"} 4');
    expect(cacheService.cacheHealthy()).toBe(false);
  });

  it('rejects bad input before touching cache or upstream', async () => {
    const { sut, source } = build();
    await expect(
      sut.summary({ ...input, metrics: ['csat'] }, { noCache: false }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(source.calls).toBe(0);
  });
});
