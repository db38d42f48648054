import { Logger } from '@nestjs/common';
import { createCache } from 'cache-manager';
import type { Keyv } from 'keyv';
import { FakeClock } from '../../common/clock/fake-clock.fake';
import { AppError } from '../../common/errors/app-error';
import type { RedisService } from '../../common/redis/redis.service';
import { parseConfig } from '../../config/app-config';
import { MetricsService } from '../../observability/metrics.service';
import type { NormalizedQuery } from '../analytics-query';
import { AnalyticsQueryInput, AnalyticsQueryValidator } from '../analytics-query.validator';
import type { AnalyticsSource, AnalyticsSourceResult } from '../analytics.source';
import { AnalyticsService } from '../analytics.service';
import { AnalyticsCacheService } from '../cache/analytics-cache.service';
import { cacheStoreOptions } from '../../common/cache/cache-stores';
import { rowsWeight } from '../cache/analytics-cache.types';
import type { UpstreamBucketing } from './bucketed-query';

/** An upstream that records every query; a `range` one answers per range, `utc-days` per UTC day. */
class RecordingSource implements AnalyticsSource {
  readonly queries: NormalizedQuery[] = [];
  constructor(readonly bucketing: UpstreamBucketing) {}

  query(query: NormalizedQuery): Promise<AnalyticsSourceResult> {
    this.queries.push(query);
    const hours = (Date.parse(query.end) - Date.parse(query.start)) / 3_600_000;
    const channels = query.dimensions.includes('channel') ? ['voice', 'chat'] : [undefined];
    const days = query.dimensions.includes('date') ? ['2024-05-02', '2024-05-01'] : [undefined];
    const rows = days.flatMap((date) =>
      channels.map((channel) => ({
        ...(date ? { date } : {}),
        ...(channel ? { channel } : {}),
        handle_time: hours * 10,
        talk_time: hours * 5,
      })),
    );
    return Promise.resolve({ rows, pages: 1 });
  }
}

function build(bucketing: UpstreamBucketing, env: Record<string, string> = {}) {
  const config = parseConfig({ ANALYTICS_CACHE_TTL_S: '60', ...env });
  const clock = new FakeClock();
  const metrics = new MetricsService();
  const source = new RecordingSource(bucketing);
  const store = createCache(cacheStoreOptions(config, rowsWeight) as { stores: Keyv[] });
  const redis = { client: null } as unknown as RedisService;
  const cache = new AnalyticsCacheService(store, config, redis, clock, metrics);
  const validator = new AnalyticsQueryValidator(config);
  const sut = new AnalyticsService(validator, cache, source, clock, config);
  return { sut, source };
}

const base: AnalyticsQueryInput = {
  metrics: ['handle_time', 'talk_time'],
  dimensions: ['date', 'channel'],
  start: '2024-10-26T22:00:00Z',
  end: '2024-10-27T23:00:00Z',
};

async function errorsOf(promise: Promise<unknown>): Promise<{ field: string; message: string }[]> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('VALIDATION_FAILED');
  return (err as AppError).errors ?? [];
}

describe('bucketed analytics summaries', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  describe('range upstream: one upstream query per bucket', () => {
    it('PT1H across the Berlin autumn change: 25 queries, rows in time order with offsets', async () => {
      const { sut, source } = build('range');
      const out = await sut.summary(
        { ...base, timeZone: 'Europe/Berlin', granularity: 'PT1H' },
        { noCache: false },
      );
      expect(source.queries).toHaveLength(25);
      expect(source.queries.every((q) => !q.dimensions.includes('date'))).toBe(true);
      expect(source.queries[0]).toMatchObject({
        start: '2024-10-26T22:00:00.000Z',
        end: '2024-10-26T23:00:00.000Z',
      });
      const { rows, columns } = out.payload;
      expect(columns.slice(0, 4)).toEqual(['date', 'bucketStart', 'bucketEnd', 'channel']);
      expect(columns).not.toContain('__bucketStartMs');
      expect(rows).toHaveLength(50);
      const starts = rows.filter((r) => r.channel === 'chat').map((r) => r.bucketStart as string);
      expect(starts.map(Date.parse)).toEqual([...starts.map(Date.parse)].sort((a, b) => a - b));
      expect(starts.slice(2, 4)).toEqual([
        '2024-10-27T02:00:00.000+02:00',
        '2024-10-27T02:00:00.000+01:00',
      ]);
      expect(rows.every((r) => r.date === '2024-10-27')).toBe(true);
      expect(rows[0]).toMatchObject({ channel: 'chat', handle_time: 10, talk_ratio: 0.5 });
    });

    it('P1D across the Berlin autumn change: a 25-hour local day is one bucket', async () => {
      const { sut, source } = build('range');
      const out = await sut.summary({ ...base, timeZone: 'Europe/Berlin' }, { noCache: false });
      expect(source.queries).toHaveLength(1);
      expect(out.payload.rows[0]).toMatchObject({
        date: '2024-10-27',
        bucketStart: '2024-10-27T00:00:00.000+02:00',
        bucketEnd: '2024-10-28T00:00:00.000+01:00',
        handle_time: 250,
      });
    });

    it('refuses more buckets than ANALYTICS_MAX_BUCKETS before any upstream call', async () => {
      const { sut, source } = build('range', { ANALYTICS_MAX_BUCKETS: '40' });
      const errors = await errorsOf(
        sut.summary(
          {
            ...base,
            granularity: 'PT1H',
            filters: [{ dimension: 'channel', operator: 'in', values: ['voice', 'chat'] }],
          },
          { noCache: false },
        ),
      );
      expect(errors).toEqual([
        {
          field: 'granularity',
          message: expect.stringMatching(
            /25 buckets × 2 dimension values.*cap of 40.*use granularity P1D/,
          ),
        },
      ]);
      expect(source.queries).toHaveLength(0);
    });
  });

  describe('utc-days upstream (v2): P1D in UTC only', () => {
    it('answers P1D in UTC with one query, each UTC day one bucket', async () => {
      const { sut, source } = build('utc-days');
      const out = await sut.summary(base, { noCache: false });
      expect(source.queries).toHaveLength(1);
      expect(source.queries[0].dimensions).toEqual(['date', 'channel']);
      expect(out.payload.rows.map((r) => [r.date, r.bucketStart, r.bucketEnd, r.channel])).toEqual([
        ['2024-05-01', '2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z', 'chat'],
        ['2024-05-01', '2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z', 'voice'],
        ['2024-05-02', '2024-05-02T00:00:00.000Z', '2024-05-03T00:00:00.000Z', 'chat'],
        ['2024-05-02', '2024-05-02T00:00:00.000Z', '2024-05-03T00:00:00.000Z', 'voice'],
      ]);
    });

    it('refuses another zone or granularity, saying why, without calling upstream', async () => {
      const { sut, source } = build('utc-days');
      const errors = await errorsOf(
        sut.summary(
          { ...base, timeZone: 'America/New_York', granularity: 'PT1H' },
          { noCache: false },
        ),
      );
      expect(errors.map((e) => e.field)).toEqual(['granularity', 'timeZone']);
      expect(errors[0].message).toContain('groups by UTC calendar day');
      expect(errors[0].message).toContain('only granularity P1D in timeZone UTC');
      expect(source.queries).toHaveLength(0);
    });

    it('needs no buckets without the date dimension', async () => {
      const { sut, source } = build('utc-days');
      const out = await sut.summary(
        { ...base, dimensions: ['channel'], timeZone: 'Europe/Berlin' },
        { noCache: false },
      );
      expect(source.queries).toHaveLength(1);
      expect(out.payload.columns).not.toContain('bucketStart');
    });
  });

  describe('validation', () => {
    it('names timeZone for a zone that is not IANA and granularity for a bad size', async () => {
      const { sut } = build('range');
      const errors = await errorsOf(
        sut.summary({ ...base, timeZone: 'Mars/Olympus', granularity: 'PT5M' }, { noCache: false }),
      );
      expect(errors.map((e) => e.field)).toEqual(['timeZone', 'granularity']);
      expect(errors[0].message).toContain('IANA time-zone name');
      expect(errors[1].message).toContain('PT15M, PT30M, PT1H, P1D, P1W, P1M');
    });

    it('asks for the date dimension when a granularity is given without it', async () => {
      const { sut } = build('range');
      const errors = await errorsOf(
        sut.summary({ ...base, dimensions: ['channel'], granularity: 'PT1H' }, { noCache: false }),
      );
      expect(errors).toEqual([
        { field: 'granularity', message: expect.stringContaining('"date"') },
      ]);
    });

    it('caches zones and granularities apart', async () => {
      const { sut, source } = build('range');
      await sut.summary({ ...base, timeZone: 'Europe/Berlin' }, { noCache: false });
      await sut.summary({ ...base, timeZone: 'America/New_York' }, { noCache: false });
      const again = await sut.summary({ ...base, timeZone: 'Europe/Berlin' }, { noCache: false });
      expect(again.status).toBe('HIT');
      expect(source.queries.length).toBeGreaterThanOrEqual(3);
    });
  });
});
