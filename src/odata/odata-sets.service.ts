import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { AnalyticsService } from '../analytics/analytics.service';
import { presentCatalogue } from '../analytics/analytics.presenter';
import { DEFAULT_TIME_ZONE } from '../analytics/buckets/time-buckets';
import type { Principal } from '../auth/principal';
import { Clock } from '../common/clock/clock';
import { AppError } from '../common/errors/app-error';
import { ExportsService } from '../export/exports.service';
import { AgentHistoryService } from '../reporting/agent-history/agent-history.service';
import { QueueStatsService } from '../reporting/queue-stats/queue-stats.service';
import { ODataQueryError } from './odata-errors';
import type { EntityTypeDef, SummaryGrain } from './odata-model';
import type { EntityRow } from './query/apply-query';
import { pushedRange, pushedValues, PushedRange, TypedFilter } from './query/filter-eval';
import type { ODataQuery } from './query/query-options';

/** Most agents one AgentStateChanges request may name (one history fetch each). */
const MAX_AGENTS = 10;
/** Summaries without a date range: the last 31 local days, today included. */
const DEFAULT_SUMMARY_DAYS = 31;

/**
 * Loads each entity set's rows from the same services (and so the same caches, single-flight
 * and upstream budget) as the /v1 routes, and shapes them to the entity types. Range conditions
 * in $filter become the upstream query range; everything else is applied to these rows.
 */
@Injectable()
export class ODataSetsService {
  constructor(
    private readonly queues: QueueStatsService,
    private readonly history: AgentHistoryService,
    private readonly analytics: AnalyticsService,
    private readonly exports: ExportsService,
    private readonly clock: Clock,
  ) {}

  async queueRows(type: EntityTypeDef): Promise<EntityRow[]> {
    const { result } = await this.queues.stats({}, false);
    return result.rows.map((r) => typed(type, r));
  }

  async stateChangeRows(type: EntityTypeDef, q: ODataQuery): Promise<EntityRow[]> {
    const agents = pushedValues(q.filter, 'agentId');
    const range = pushedRange<number>(q.filter, 'timestamp');
    if (!agents || agents.length === 0 || !range.lower || !range.upper) {
      throw new ODataQueryError(
        '$filter',
        "AgentStateChanges needs $filter with agentId eq '<id>' (or agentId in (...)) and a " +
          'timestamp range, e.g. timestamp ge 2026-01-14T00:00:00Z and timestamp lt 2026-01-15T00:00:00Z',
      );
    }
    if (agents.length > MAX_AGENTS) {
      throw new ODataQueryError('$filter', `name at most ${MAX_AGENTS} agents per request`);
    }
    const { startMs, endMs } = instantRange(range);
    const rows: EntityRow[] = [];
    for (const agentId of agents) {
      const table = await asFilterError(() =>
        this.history.stateHistory(String(agentId), {
          start: new Date(startMs).toISOString(),
          end: new Date(endMs).toISOString(),
          timeZone: q.custom.timeZone,
        }),
      );
      for (const r of table.rows) rows.push(typed(type, { ...r, stateId: String(r.stateId) }));
    }
    return rows;
  }

  async summaryRows(type: EntityTypeDef, grain: SummaryGrain, q: ODataQuery): Promise<EntityRow[]> {
    const timeZone = q.custom.timeZone ?? DEFAULT_TIME_ZONE;
    const { start, end } = this.summaryRange(q.filter, timeZone);
    if (end <= start) return [];
    const outcome = await this.analytics.summary(
      {
        metrics: [...grain.metrics],
        dimensions: ['date', ...grain.dimensions],
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        ...(q.custom.timeZone !== undefined ? { timeZone: q.custom.timeZone } : {}),
        ...(q.custom.granularity !== undefined ? { granularity: q.custom.granularity } : {}),
      },
      { noCache: false },
    );
    return outcome.payload.rows.map((r) => typed(type, r));
  }

  async exportRows(type: EntityTypeDef, principal: Principal): Promise<EntityRow[]> {
    const views = await this.exports.list(principal);
    return views.map((v) =>
      typed(type, {
        id: v.id,
        status: v.status,
        start: v.start,
        end: v.end,
        createdAt: v.createdAt,
        updatedAt: v.updatedAt,
        percent: v.progress.percent,
        ...v.counts,
      }),
    );
  }

  recordRows(id: string, principal: Principal): Promise<AsyncIterable<EntityRow>> {
    return this.exports.recordRows(id, principal);
  }

  kpiRows(): EntityRow[] {
    return presentCatalogue(this.analytics.capabilities).map((k) => ({
      requiresDimensions: [],
      ...k,
    }));
  }

  /**
   * The upstream range of a Summaries request from `date` (local dates of timeZone) and
   * `bucketStart` bounds; without any, the last DEFAULT_SUMMARY_DAYS local days.
   */
  private summaryRange(filter: TypedFilter | undefined, timeZone: string) {
    const dates = pushedRange<string>(filter, 'date');
    const instants = pushedRange<number>(filter, 'bucketStart');
    const midnight = (date: string, plusDays = 0): number =>
      DateTime.fromISO(date, { zone: timeZone }).plus({ days: plusDays }).toMillis();
    let start: number | undefined;
    let end: number | undefined;
    if (dates.lower) start = midnight(dates.lower.value, dates.lower.inclusive ? 0 : 1);
    if (dates.upper) end = midnight(dates.upper.value, dates.upper.inclusive ? 1 : 0);
    const exact = instantRange(instants);
    if (instants.lower) start = Math.max(start ?? -Infinity, exact.startMs);
    if (instants.upper) end = Math.min(end ?? Infinity, exact.endMs);
    const today = DateTime.fromMillis(this.clock.now(), { zone: timeZone }).startOf('day');
    end ??= today.plus({ days: 1 }).toMillis();
    start ??= DateTime.fromMillis(end, { zone: timeZone })
      .minus({ days: DEFAULT_SUMMARY_DAYS })
      .toMillis();
    return { start, end };
  }
}

/** [startMs, endMs) of an instant range (a `gt` bound starts 1 ms later, `le` ends 1 ms later). */
function instantRange(range: PushedRange<number>): { startMs: number; endMs: number } {
  const lower = range.lower;
  const upper = range.upper;
  return {
    startMs: lower ? lower.value + (lower.inclusive ? 0 : 1) : Number.NEGATIVE_INFINITY,
    endMs: upper ? upper.value + (upper.inclusive ? 1 : 0) : Number.POSITIVE_INFINITY,
  };
}

/** A range the history rules refuse (too long, in the future) is a fault of the $filter. */
async function asFilterError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
      const fields = err.errors ?? [];
      const range = fields.every((f) => f.field === 'start' || f.field === 'end');
      if (range && fields.length > 0) {
        throw new ODataQueryError(
          '$filter',
          `the timestamp range is refused: ${fields.map((f) => f.message).join('; ')}`,
        );
      }
    }
    throw err;
  }
}

/**
 * A row shaped to its entity type: every declared property present, whole numbers for
 * Int64, text for keys (a missing dimension value is an empty string, never a null key).
 */
export function typed(type: EntityTypeDef, source: object): EntityRow {
  const row = source as Record<string, unknown>;
  const out: EntityRow = {};
  for (const p of type.properties) {
    let v = row[p.name];
    if (v === undefined) v = p.collection ? [] : null;
    if (p.type === 'Edm.Int64' && typeof v === 'number' && !Number.isInteger(v)) v = Math.round(v);
    if (v === null && !p.nullable) v = p.type === 'Edm.String' ? '' : v;
    out[p.name] = v;
  }
  return out;
}
