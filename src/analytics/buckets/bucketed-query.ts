import { AppError } from '../../common/errors/app-error';
import type { NormalizedQuery } from '../analytics-query';
import type {
  AnalyticsQueryOptions,
  AnalyticsSource,
  AnalyticsSourceResult,
  UpstreamBucketing,
} from '../analytics.source';
import {
  BucketLimitError,
  DEFAULT_GRANULARITY,
  DEFAULT_TIME_ZONE,
  planBuckets,
  TimeBucket,
} from './time-buckets';

/** The dimension that turns into time buckets. */
export const DATE_DIMENSION = 'date';
/** Columns every bucketed row carries right after `date`. */
export const BUCKET_COLUMNS = ['bucketStart', 'bucketEnd'] as const;
/**
 * Sort key the engine orders bucketed rows by (epoch ms of bucketStart). ISO text with offsets
 * does not sort chronologically across a DST change (02:00+02:00 precedes 02:00+01:00), so the
 * rows are ordered by this number and it is dropped from the answer afterwards.
 */
export const BUCKET_SORT_KEY = '__bucketStartMs';
/** Upstream queries run at once for a bucketed query (the rate budget still applies to each). */
const BUCKET_CONCURRENCY = 4;

export type { UpstreamBucketing } from '../analytics.source';

/** A query's buckets, or undefined when it has no `date` dimension (one row covers the range). */
export type BucketPlan = TimeBucket[] | undefined;

export function hasDateDimension(query: { dimensions: readonly string[] }): boolean {
  return query.dimensions.includes(DATE_DIMENSION);
}

/**
 * Plans the buckets of a normalized query for a dialect; every refusal is a 400 naming the
 * field: a granularity or zone the upstream cannot answer, or more buckets than the cap.
 */
export function planQueryBuckets(
  query: NormalizedQuery,
  bucketing: UpstreamBucketing,
  maxBuckets: number,
): BucketPlan {
  if (!hasDateDimension(query)) return undefined;
  const granularity = query.granularity ?? DEFAULT_GRANULARITY;
  const timeZone = query.timeZone ?? DEFAULT_TIME_ZONE;
  if (bucketing === 'utc-days') refuseUnanswerable(granularity, timeZone);
  try {
    return planBuckets({
      startMs: Date.parse(query.start),
      endMs: Date.parse(query.end),
      timeZone,
      granularity,
      maxBuckets,
      otherValues: filteredValueCount(query),
    });
  } catch (err) {
    if (err instanceof BucketLimitError) {
      throw new AppError('VALIDATION_FAILED', err.message, {
        errors: [{ field: 'granularity', message: err.message }],
        extensions: {
          maxBuckets,
          buckets: err.buckets,
          ...(err.suggestion ? { suggestedGranularity: err.suggestion } : {}),
        },
      });
    }
    throw err;
  }
}

function refuseUnanswerable(granularity: string, timeZone: string): void {
  const why =
    'the upstream analytics API of this tenant (the v2 dialect) groups by UTC calendar day, so ' +
    'only granularity P1D in timeZone UTC can be answered; anything else would be a relabelled ' +
    'UTC day';
  const errors = [
    ...(granularity !== DEFAULT_GRANULARITY ? [{ field: 'granularity', message: why }] : []),
    ...(timeZone !== DEFAULT_TIME_ZONE ? [{ field: 'timeZone', message: why }] : []),
  ];
  if (errors.length > 0) throw AppError.validation(errors);
}

/**
 * How many values the filtered dimensions multiply each bucket by: the product of the filter
 * value counts of the non-date dimensions asked for. Unfiltered dimensions are unknown before
 * the answer arrives and count as 1.
 */
function filteredValueCount(query: NormalizedQuery): number {
  let product = 1;
  for (const f of query.filters) {
    if (f.dimension !== DATE_DIMENSION && query.dimensions.includes(f.dimension)) {
      product *= f.values.length;
    }
  }
  return product;
}

/** The dimension list the KPI engine copies and sorts by: `date` expanded into the bucket columns. */
export function bucketedDimensions(dimensions: readonly string[]): string[] {
  return dimensions.flatMap((d) =>
    d === DATE_DIMENSION ? [BUCKET_SORT_KEY, DATE_DIMENSION, ...BUCKET_COLUMNS] : [d],
  );
}

/** Drops the sort key from rows and columns once the engine has ordered them. */
export function dropSortKey<R extends Record<string, unknown>>(rows: R[], columns: string[]) {
  for (const row of rows) delete row[BUCKET_SORT_KEY];
  return columns.filter((c) => c !== BUCKET_SORT_KEY);
}

/**
 * Fetches the raw rows of a bucketed query: for `utc-days` one upstream query whose `date`
 * values are UTC days; for `range` one query per bucket (at most BUCKET_CONCURRENCY at a time),
 * each row tagged with its bucket. Rows come back with the bucket columns and the sort key set.
 */
export async function fetchBucketed(
  source: AnalyticsSource,
  bucketing: UpstreamBucketing,
  query: NormalizedQuery,
  buckets: TimeBucket[],
  options: AnalyticsQueryOptions = {},
): Promise<AnalyticsSourceResult> {
  if (bucketing === 'utc-days') {
    const result = await source.query(query, options);
    return { rows: result.rows.map(tagUtcDay), pages: result.pages };
  }
  const perBucket: NormalizedQuery[] = buckets.map((b) => ({
    ...query,
    dimensions: query.dimensions.filter((d) => d !== DATE_DIMENSION),
    start: new Date(b.startMs).toISOString(),
    end: new Date(b.endMs).toISOString(),
  }));
  const results = await mapLimited(perBucket, BUCKET_CONCURRENCY, (q) => source.query(q, options));
  const rows: unknown[] = [];
  let pages = 0;
  results.forEach((result, i) => {
    pages += result.pages;
    for (const raw of result.rows) rows.push(tagBucket(raw, buckets[i]));
  });
  return { rows, pages };
}

function asRecord(raw: unknown): Record<string, unknown> {
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
}

function tagBucket(raw: unknown, bucket: TimeBucket): Record<string, unknown> {
  return {
    ...asRecord(raw),
    [DATE_DIMENSION]: bucket.date,
    bucketStart: bucket.start,
    bucketEnd: bucket.end,
    [BUCKET_SORT_KEY]: bucket.startMs,
  };
}

const UTC_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A seed-API row: its `date` is a UTC day, which is the whole bucket the upstream aggregated. */
function tagUtcDay(raw: unknown): Record<string, unknown> {
  const row = asRecord(raw);
  const date = row[DATE_DIMENSION];
  const startMs = typeof date === 'string' && UTC_DATE.test(date) ? Date.parse(date) : NaN;
  if (Number.isNaN(startMs)) {
    return { ...row, bucketStart: null, bucketEnd: null, [BUCKET_SORT_KEY]: null };
  }
  return {
    ...row,
    bucketStart: new Date(startMs).toISOString(),
    bucketEnd: new Date(startMs + 86_400_000).toISOString(),
    [BUCKET_SORT_KEY]: startMs,
  };
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    // The first failure stops the other workers from starting more buckets.
    while (next < items.length && failed === undefined) {
      const i = next++;
      try {
        out[i] = await fn(items[i]);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed) throw failed.error as Error;
  return out;
}

/** Raw upstream rows of a summary query, and the dimension list the KPI engine shapes them by. */
export interface SummaryRows extends AnalyticsSourceResult {
  dimensions: string[];
}

/**
 * The upstream part of a summary query: one query when it has no `date` dimension, else the
 * bucketed fetch of its plan. The service validates the plan earlier (planQueryBuckets in
 * `prepare`), so a refusal never costs an upstream call.
 */
export async function fetchSummaryRows(
  source: AnalyticsSource,
  query: NormalizedQuery,
  maxBuckets: number,
  options: AnalyticsQueryOptions = {},
): Promise<SummaryRows> {
  const bucketing = source.bucketing ?? 'utc-days';
  const buckets = planQueryBuckets(query, bucketing, maxBuckets);
  refuseIfTooCostly(source, bucketing, query, buckets, options);
  if (!buckets) {
    return { ...(await source.query(query, options)), dimensions: [...query.dimensions] };
  }
  const fetched = await fetchBucketed(source, bucketing, query, buckets, options);
  return { ...fetched, dimensions: bucketedDimensions(query.dimensions) };
}

/**
 * Refuses, before any upstream call, a query whose cost is known in advance and exceeds the
 * budget: for a `range` source one set of summary calls per bucket (range × granularity).
 * A `utc-days` source only knows its size from its first page and checks it there.
 */
function refuseIfTooCostly(
  source: AnalyticsSource,
  bucketing: UpstreamBucketing,
  query: NormalizedQuery,
  buckets: BucketPlan,
  options: AnalyticsQueryOptions,
): void {
  if (!options.budget || !source.callsPerQuery) return;
  const queries = bucketing === 'range' && buckets ? buckets.length : 1;
  options.budget.refuseIfMore(queries * source.callsPerQuery(query));
}
