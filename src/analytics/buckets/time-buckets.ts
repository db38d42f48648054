import { DateTime } from 'luxon';

/**
 * Bucket sizes as ISO 8601 durations, finest first. Sub-day sizes step in absolute time from a
 * local boundary; P1D, P1W (ISO weeks, Monday first) and P1M step in local calendar time, so a
 * local day across a DST change is 23 or 25 hours long.
 */
export const GRANULARITIES = ['PT15M', 'PT30M', 'PT1H', 'P1D', 'P1W', 'P1M'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const DEFAULT_GRANULARITY: Granularity = 'P1D';
export const DEFAULT_TIME_ZONE = 'UTC';

/** One [start, end) bucket of a query range. */
export interface TimeBucket {
  startMs: number;
  endMs: number;
  /** ISO 8601 with the zone's offset (`Z` in UTC), e.g. `2024-03-31T03:00:00.000+02:00`. */
  start: string;
  end: string;
  /** Local calendar date of `start` (YYYY-MM-DD). */
  date: string;
}

export interface BucketPlanRequest {
  startMs: number;
  endMs: number;
  timeZone: string;
  granularity: Granularity;
  /** Most buckets × `otherValues` a query may produce (ANALYTICS_MAX_BUCKETS). */
  maxBuckets: number;
  /** How many values the other dimensions multiply each bucket by (1 when unknown). */
  otherValues?: number;
}

/** The plan exceeds the cap; `message` names the cap and, when one fits, a coarser granularity. */
export class BucketLimitError extends Error {
  constructor(
    message: string,
    readonly buckets: number,
    readonly suggestion: Granularity | undefined,
  ) {
    super(message);
    this.name = 'BucketLimitError';
  }
}

export function isGranularity(value: unknown): value is Granularity {
  return typeof value === 'string' && (GRANULARITIES as readonly string[]).includes(value);
}

/** Local start of the bucket containing `dt`. */
function floorToBucket(dt: DateTime, granularity: Granularity): DateTime {
  switch (granularity) {
    case 'PT15M':
    case 'PT30M': {
      const step = granularity === 'PT15M' ? 15 : 30;
      return dt.startOf('minute').set({ minute: Math.floor(dt.minute / step) * step });
    }
    case 'PT1H':
      return dt.startOf('hour');
    case 'P1D':
      return dt.startOf('day');
    case 'P1W':
      return dt.startOf('week');
    case 'P1M':
      return dt.startOf('month');
  }
}

function nextBoundary(dt: DateTime, granularity: Granularity): DateTime {
  switch (granularity) {
    case 'PT15M':
      return dt.plus({ minutes: 15 });
    case 'PT30M':
      return dt.plus({ minutes: 30 });
    case 'PT1H':
      return dt.plus({ hours: 1 });
    case 'P1D':
      return dt.plus({ days: 1 });
    case 'P1W':
      return dt.plus({ weeks: 1 });
    case 'P1M':
      return dt.plus({ months: 1 });
  }
}

/** Absolute step of the sub-day granularities (they step in elapsed time, not wall time). */
const FIXED_STEP_MS: Partial<Record<Granularity, number>> = {
  PT15M: 15 * 60_000,
  PT30M: 30 * 60_000,
  PT1H: 60 * 60_000,
};

/**
 * Local boundaries of `granularity` inside (startMs, endMs), in order; at most `limit` of them
 * (the caller only needs to know that there are more).
 */
function boundaries(
  startMs: number,
  endMs: number,
  zone: string,
  g: Granularity,
  limit: number,
): number[] {
  const out: number[] = [];
  let cursor = nextBoundary(floorToBucket(DateTime.fromMillis(startMs, { zone }), g), g);
  const step = FIXED_STEP_MS[g];
  if (step !== undefined) {
    // Elapsed-time steps need no calendar: plain arithmetic from the first local boundary.
    for (let at = cursor.toMillis(); at < endMs && out.length <= limit; at += step) out.push(at);
    return out;
  }
  // A local time that does not exist (a DST gap) could floor to an instant already seen; the
  // strictly-increasing check keeps the loop finite whatever the zone's rules.
  let last = startMs;
  while (cursor.toMillis() < endMs && out.length <= limit) {
    const ms = cursor.toMillis();
    if (ms > last) out.push(ms);
    last = Math.max(last, ms);
    cursor = nextBoundary(cursor, g);
  }
  return out;
}

/** How many buckets a range has, without building them (closed form for the fixed steps). */
export function countBuckets(startMs: number, endMs: number, zone: string, g: Granularity): number {
  const step = FIXED_STEP_MS[g];
  if (step === undefined) {
    return boundaries(startMs, endMs, zone, g, Number.MAX_SAFE_INTEGER).length + 1;
  }
  const first = nextBoundary(floorToBucket(DateTime.fromMillis(startMs, { zone }), g), g);
  const firstMs = first.toMillis();
  return firstMs >= endMs ? 1 : 2 + Math.floor((endMs - 1 - firstMs) / step);
}

function toIso(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO() ?? new Date(ms).toISOString();
}

/**
 * The [start, end) buckets of a range in a time zone: each starts at a local boundary of the
 * granularity, except that the first and last are cut at the range's own start and end when
 * those fall inside a bucket (a row never covers time outside the range asked for). Throws
 * BucketLimitError when buckets × otherValues exceed maxBuckets; its message names the cap and
 * the finest coarser granularity that would fit.
 */
export function planBuckets(request: BucketPlanRequest): TimeBucket[] {
  const { startMs, endMs, timeZone: zone, granularity } = request;
  if (!(endMs > startMs)) throw new RangeError('endMs must be after startMs');
  const other = Math.max(1, request.otherValues ?? 1);
  const allowed = Math.floor(request.maxBuckets / other);
  const cuts = boundaries(startMs, endMs, zone, granularity, allowed);
  if (cuts.length + 1 > allowed) {
    throw limitError(request, countBuckets(startMs, endMs, zone, granularity), other);
  }
  const edges = [startMs, ...cuts, endMs];
  return edges.slice(0, -1).map((s, i) => {
    const local = DateTime.fromMillis(s, { zone });
    return {
      startMs: s,
      endMs: edges[i + 1],
      start: toIso(s, zone),
      end: toIso(edges[i + 1], zone),
      date: local.toISODate() ?? '',
    };
  });
}

function limitError(request: BucketPlanRequest, count: number, other: number): BucketLimitError {
  const { startMs, endMs, timeZone, granularity, maxBuckets } = request;
  const coarser = GRANULARITIES.slice(GRANULARITIES.indexOf(granularity) + 1);
  const fits = coarser.find((g) => countBuckets(startMs, endMs, timeZone, g) * other <= maxBuckets);
  const product = other > 1 ? `${count} buckets × ${other} dimension values` : `${count} buckets`;
  const advice = fits
    ? `use granularity ${fits} (${countBuckets(startMs, endMs, timeZone, fits)} buckets) or a shorter range`
    : 'use a shorter range or fewer filter values';
  return new BucketLimitError(
    `granularity ${granularity} over this range gives ${product}, more than the cap of ` +
      `${maxBuckets} (ANALYTICS_MAX_BUCKETS); ${advice}`,
    count,
    fits,
  );
}
