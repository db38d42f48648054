import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { AppError } from '../../common/errors/app-error';
import { TabularResult } from '../../common/format/tabular-result';
import { APP_CONFIG } from '../../config/config.constants';
import type { AppConfig } from '../../config/app-config.types';
import { toIsoUtc } from '../common/iso-instant';
import { TtlCacheFactory } from '../../common/cache/app-cache.module';
import type { CacheStatus, TtlCache } from '../../common/cache/ttl-cache';
import type { ReplayToken } from '../../common/http/response-meta';
import { MetricsService } from '../../observability/metrics.service';
import {
  flattenQueueStats,
  missingQueueIds,
  QueueStatsEnvelope,
  queueStatsColumns,
  QueueStatsRow,
} from './queue-stats.flatten';
import { badIdError, canonicalId, matchesIdFormat } from '../common/id-format';
import {
  CORE_QUEUE_METRICS,
  QUEUE_METRIC_NAMES,
  QUEUE_STATS_SOURCE,
  QueueMetricName,
  QueueStatsQuery,
  type QueueStatsSource,
} from './queue-stats.source';

export type QueueStatsResult = TabularResult<QueueStatsRow>;

export interface QueueStatsRequest {
  queueIds?: readonly string[];
  metrics?: readonly string[];
}

/**
 * Real-time queue stats, flattened, cached briefly per normalised query. Dashboards poll this
 * endpoint in bulk, so the built response object itself is cached: a hit does no work beyond
 * building the key and one Map lookup.
 */
@Injectable()
export class QueueStatsService {
  private readonly cache: TtlCache<QueueStatsResult>;

  constructor(
    @Inject(QUEUE_STATS_SOURCE) private readonly source: QueueStatsSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
    caches: TtlCacheFactory,
    metrics: MetricsService,
  ) {
    this.cache = caches.create<QueueStatsResult>({
      name: 'queueStats',
      ttlMs: config.reporting.queueStatsTtlS * 1000,
      codec: { encode: encodeQueueStats, decode: decodeQueueStats },
      onEvent: metrics.cacheEventRecorder('queueStats'),
    });
  }

  async stats(
    request: QueueStatsRequest,
    bypassCache: boolean,
  ): Promise<{ result: QueueStatsResult; cache: CacheStatus; replay?: ReplayToken }> {
    const supported = this.source.metrics ?? CORE_QUEUE_METRICS;
    const idFormat = this.source.queueIdFormat ?? 'uuid';
    this.check(request, supported);
    const queueIds = request.queueIds?.map((id) => canonicalId(idFormat, id));
    const query = normalizeQuery({ ...request, queueIds }, supported);
    const key = `${query.queueIds.join(',')}|${query.metrics.join(',')}`;
    const { value, status } = await this.cache.get(key, () => this.load(query), bypassCache);
    const version = this.cache.versionOf(key);
    const replay = version === undefined ? undefined : { cache: 'queueStats', key, version };
    return { result: value, cache: status, replay };
  }

  /** For the cache-hit fast path: is this entry version still current (counted as a hit)? */
  isCurrent(token: { key: string; version: string }): boolean {
    return this.cache.peekEntry(token.key)?.version === token.version;
  }

  /** What the DTO cannot know: the bound dialect's id format and metric set (400 naming each). */
  private check(request: QueueStatsRequest, supported: readonly QueueMetricName[]): void {
    const idFormat = this.source.queueIdFormat ?? 'uuid';
    if (request.queueIds?.some((id) => !matchesIdFormat(idFormat, id))) {
      throw badIdError(idFormat, 'queueIds', true);
    }
    const unknown = (request.metrics ?? []).filter(
      (m) => !(supported as readonly string[]).includes(m),
    );
    if (unknown.length) {
      throw AppError.field(
        'metrics',
        `metrics has unknown metric(s) ${unknown.join(', ')}; allowed: ${supported.join(', ')}`,
      );
    }
  }

  private async load(query: QueueStatsQuery): Promise<QueueStatsResult> {
    const entries = await this.fetch(query);
    const missing = missingQueueIds(query.queueIds, entries);
    if (missing.length) throw queuesNotFound(missing);
    const envelope: QueueStatsEnvelope = {
      asOf: toIsoUtc(this.clock.now()),
      queues: flattenQueueStats(entries, query.metrics),
    };
    return new TabularResult(envelope, envelope.queues, queueStatsColumns(query.metrics));
  }

  private async fetch(query: QueueStatsQuery) {
    try {
      return await this.source.fetchStats(query);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'UPSTREAM_NOT_FOUND') throw err;
      // Name the queue CXone complained about when its message says; else every one we asked for.
      const said = JSON.stringify(err.extensions?.upstream ?? '').toLowerCase();
      const named = query.queueIds.filter((id) => said.includes(id.toLowerCase()));
      throw queuesNotFound(named.length ? named : [...query.queueIds], err);
    }
  }
}

/**
 * Sorted, de-duplicated ids; metrics in canonical order (the source's whole set when none
 * asked): the cache key.
 */
export function normalizeQuery(
  request: QueueStatsRequest,
  defaults: readonly QueueMetricName[] = CORE_QUEUE_METRICS,
): QueueStatsQuery {
  const queueIds = [...new Set(request.queueIds ?? [])].sort();
  const asked = new Set(request.metrics ?? []);
  const metrics: QueueMetricName[] =
    asked.size === 0 ? [...defaults] : QUEUE_METRIC_NAMES.filter((m) => asked.has(m));
  return { queueIds, metrics };
}

function queuesNotFound(ids: readonly string[], cause?: AppError): AppError {
  const message = ids.length
    ? `Queue${ids.length > 1 ? 's' : ''} ${ids.join(', ')} not found`
    : 'CXone reported a queue as not found';
  return new AppError('UPSTREAM_NOT_FOUND', message, {
    extensions: { ...cause?.extensions, queueIds: ids },
    cause,
  });
}

function encodeQueueStats(result: QueueStatsResult): string {
  return JSON.stringify({ columns: result.columns, envelope: result.envelope });
}

/** Rebuilds a shared-cache entry (written by this service; the shape is checked anyway). */
function decodeQueueStats(text: string): QueueStatsResult {
  const cached = JSON.parse(text) as { columns?: unknown; envelope?: Partial<QueueStatsEnvelope> };
  const { columns, envelope } = cached;
  if (
    !Array.isArray(columns) ||
    !columns.every((c) => typeof c === 'string') ||
    typeof envelope?.asOf !== 'string' ||
    !Array.isArray(envelope.queues)
  ) {
    throw new Error('cached queue stats have an unexpected shape');
  }
  return new TabularResult(envelope, envelope.queues, columns);
}
