import type { Cache } from 'cache-manager';
import { FakeClock } from '../../common/clock/fake-clock.fake';
import { AppError } from '../../common/errors/app-error';
import type { AppConfig } from '../../config/app-config.types';
import { MetricsService } from '../../observability/metrics.service';
import { TtlCacheFactory } from '../../common/cache/app-cache.module';
import { normalizeQuery, QueueStatsService } from './queue-stats.service';
import type { QueueStatsEntry, QueueStatsQuery, QueueStatsSource } from './queue-stats.source';

const Q1 = 'c0000000-0000-4000-8000-000000000001';
const Q2 = 'c0000000-0000-4000-8000-000000000002';

class FakeQueueStatsSource implements QueueStatsSource {
  readonly calls: QueueStatsQuery[] = [];
  entries: QueueStatsEntry[] = [{ queueId: Q1, queueName: 'Sales', metrics: [] }];
  error?: AppError;
  fetchStats(query: QueueStatsQuery): Promise<QueueStatsEntry[]> {
    this.calls.push(query);
    return this.error ? Promise.reject(this.error) : Promise.resolve(this.entries);
  }
}

describe('QueueStatsService', () => {
  let source: FakeQueueStatsSource;
  let sut: QueueStatsService;

  beforeEach(() => {
    source = new FakeQueueStatsSource();
    const clock = new FakeClock();
    const config = {
      reporting: { queueStatsTtlS: 5, maxHistoryDays: 31 },
      redis: {},
    } as AppConfig;
    const caches = new TtlCacheFactory({} as Cache, config, clock);
    sut = new QueueStatsService(source, config, clock, caches, new MetricsService());
  });

  it('normalises the query: sorted unique ids, metrics in canonical order, all by default', () => {
    expect(
      normalizeQuery({ queueIds: [Q2, Q1, Q2], metrics: ['serviceLevel', 'waitTime'] }),
    ).toEqual({
      queueIds: [Q1, Q2],
      metrics: ['waitTime', 'serviceLevel'],
    });
    expect(normalizeQuery({}).metrics).toEqual([
      'waitTime',
      'agentCount',
      'conversationCount',
      'abandonCount',
      'serviceLevel',
    ]);
  });

  it('serves equivalent queries from one cache entry', async () => {
    await sut.stats({ queueIds: [Q1], metrics: ['agentCount', 'waitTime'] }, false);
    const second = await sut.stats(
      { queueIds: [Q1, Q1], metrics: ['waitTime', 'agentCount'] },
      false,
    );
    expect(second.cache).toBe('HIT');
    expect(source.calls).toHaveLength(1);
    expect(second.result.columns).toEqual([
      'queueId',
      'queueName',
      'timestamp',
      'waitTime',
      'agentCount',
    ]);
  });

  it('names the queue CXone reports as not found', async () => {
    source.error = new AppError('UPSTREAM_NOT_FOUND', 'CXone answered queueStats with HTTP 404', {
      extensions: { upstream: { status: 404, message: `Queue ${Q2} not found` } },
    });
    await expect(sut.stats({ queueIds: [Q1, Q2] }, false)).rejects.toMatchObject({
      code: 'UPSTREAM_NOT_FOUND',
      message: `Queue ${Q2} not found`,
    });
  });

  it('treats a requested queue missing from the answer as not found', async () => {
    await expect(sut.stats({ queueIds: [Q1, Q2] }, false)).rejects.toMatchObject({
      code: 'UPSTREAM_NOT_FOUND',
      message: `Queue ${Q2} not found`,
    });
  });

  it('passes other upstream errors through', async () => {
    source.error = new AppError('UPSTREAM_UNAVAILABLE', 'down');
    await expect(sut.stats({}, false)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });
});
