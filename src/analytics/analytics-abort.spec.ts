import { Logger } from '@nestjs/common';
import { createCache } from 'cache-manager';
import type { Keyv } from 'keyv';
import { FakeClock } from '../common/clock/fake-clock.fake';
import { cacheStoreOptions } from '../common/cache/cache-stores';
import { RedisService } from '../common/redis/redis.service';
import { parseConfig } from '../config/app-config';
import { CallerGoneError } from '../cxone/operation-budget';
import { MetricsService } from '../observability/metrics.service';
import type { NormalizedQuery } from './analytics-query';
import { AnalyticsQueryInput, AnalyticsQueryValidator } from './analytics-query.validator';
import { AnalyticsService } from './analytics.service';
import type {
  AnalyticsQueryOptions,
  AnalyticsSource,
  AnalyticsSourceResult,
} from './analytics.source';
import { AnalyticsCacheService } from './cache/analytics-cache.service';
import { rowsWeight } from './cache/analytics-cache.types';

/**
 * An upstream that holds every query until `release()`, keeps the budget signal it was given
 * and, like the real client, stops when that signal aborts — unless `ignoreAbort` is set.
 */
class HeldSource implements AnalyticsSource {
  readonly signals: AbortSignal[] = [];
  ignoreAbort = false;
  private waiters: (() => void)[] = [];

  async query(_query: NormalizedQuery, options?: AnalyticsQueryOptions) {
    const signal = options?.budget?.signal;
    if (!signal) throw new Error('the summary ran without a budget signal');
    this.signals.push(signal);
    await new Promise<void>((resolve, reject) => {
      this.waiters.push(resolve);
      if (!this.ignoreAbort) {
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      }
    });
    return { rows: [{ channel: 'voice', handle_time: 300 }], pages: 1 } as AnalyticsSourceResult;
  }

  release(): void {
    this.waiters.splice(0).forEach((w) => w());
  }
}

const input: AnalyticsQueryInput = {
  metrics: ['handle_time'],
  dimensions: ['channel'],
  start: '2024-05-01',
  end: '2024-05-02',
};

function build() {
  const config = parseConfig({ ANALYTICS_CACHE_TTL_S: '60' });
  const clock = new FakeClock();
  const source = new HeldSource();
  const store = createCache(cacheStoreOptions(config, rowsWeight) as { stores: Keyv[] });
  const redis = { client: null } as unknown as RedisService;
  const cache = new AnalyticsCacheService(store, config, redis, clock, new MetricsService());
  const validator = new AnalyticsQueryValidator(config);
  const sut = new AnalyticsService(validator, cache, source, clock, config);
  const keyOf = (body: AnalyticsQueryInput) => cache.keyFor(validator.normalize(body));
  return { sut, source, cache, keyOf };
}

/** Lets the service reach the upstream query (cache read, lock) before the spec goes on. */
async function untilQueried(source: HeldSource, count: number): Promise<void> {
  for (let i = 0; i < 50 && source.signals.length < count; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(source.signals).toHaveLength(count);
}

describe('AnalyticsService: callers that hang up on a shared summary fetch', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('keeps fetching for the caller still waiting when another one leaves', async () => {
    const { sut, source } = build();
    const leaving = new AbortController();
    const gone = sut.summary(input, { noCache: false, signal: leaving.signal });
    const stays = sut.summary(input, { noCache: false, signal: new AbortController().signal });
    await untilQueried(source, 1);
    leaving.abort();
    await expect(gone).rejects.toBeInstanceOf(CallerGoneError);
    expect(source.signals[0].aborted).toBe(false);
    source.release();
    const answer = await stays;
    expect(answer.status).toBe('MISS');
    expect(answer.payload.rows).toEqual([expect.objectContaining({ channel: 'voice' })]);
    expect(source.signals).toHaveLength(1);
  });

  it('stops the upstream fetch once every caller has left, and a newcomer fetches afresh', async () => {
    const { sut, source } = build();
    const first = new AbortController();
    const second = new AbortController();
    const a = sut.summary(input, { noCache: false, signal: first.signal });
    const b = sut.summary(input, { noCache: false, signal: second.signal });
    await untilQueried(source, 1);
    first.abort();
    second.abort();
    await expect(a).rejects.toBeInstanceOf(CallerGoneError);
    await expect(b).rejects.toBeInstanceOf(CallerGoneError);
    expect(source.signals[0].aborted).toBe(true);
    expect(source.signals[0].reason).toBeInstanceOf(CallerGoneError);

    const later = sut.summary(input, { noCache: false });
    await untilQueried(source, 2);
    source.release();
    expect((await later).status).toBe('MISS');
  });

  it('caches a result that arrives although its last caller has left', async () => {
    const { sut, source, cache, keyOf } = build();
    source.ignoreAbort = true;
    const caller = new AbortController();
    const gone = sut.summary(input, { noCache: false, signal: caller.signal });
    await untilQueried(source, 1);
    caller.abort();
    await expect(gone).rejects.toBeInstanceOf(CallerGoneError);
    expect(source.signals[0].aborted).toBe(true);
    source.release();
    // The abandoned fetch finishes on its own and writes its result.
    let stored = await cache.read(keyOf(input));
    for (let i = 0; i < 50 && stored === undefined; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      stored = await cache.read(keyOf(input));
    }
    expect(stored?.payload.rows).toEqual([expect.objectContaining({ channel: 'voice' })]);
    expect((await sut.summary(input, { noCache: false })).status).toBe('HIT');
    expect(source.signals).toHaveLength(1);
  });
});
