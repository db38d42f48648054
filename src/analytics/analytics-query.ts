import { createHash } from 'node:crypto';
import type { Granularity } from './buckets/time-buckets';

/** A filter in canonical form: one operator, values sorted and de-duplicated. */
export interface NormalizedFilter {
  dimension: string;
  /** `eq` for exactly one value, `in` for several (so `eq X` and `in [X]` are one query). */
  operator: 'eq' | 'in';
  values: string[];
}

/**
 * A validated query in canonical form: what the cache key hashes and the upstream receives.
 * Metrics are sorted (their order changes nothing), dimensions keep their order (it is the
 * sort order of the rows), dates are ISO 8601 UTC with milliseconds.
 */
export interface NormalizedQuery {
  metrics: string[];
  dimensions: string[];
  start: string;
  end: string;
  filters: NormalizedFilter[];
  /** Sorted KPI names the caller restricted to; undefined = every KPI that applies. */
  kpis?: string[];
  /** IANA zone the `date` buckets follow; undefined = UTC. */
  timeZone?: string;
  /** Size of the `date` buckets; undefined = P1D. */
  granularity?: Granularity;
}

export const ANALYTICS_CACHE_PREFIX = 'cxgw:analytics:';

/** The gateway's one date parser (no offset = UTC, impossible offsets refused). */
export { parseIsoInstant } from '../common/validation/iso-instant';

/** Filters in canonical order: by dimension, then operator and values. */
export function canonicalFilters(filters: readonly NormalizedFilter[]): NormalizedFilter[] {
  return filters
    .map((f): NormalizedFilter => {
      const values = [...new Set(f.values)].sort();
      return { dimension: f.dimension, operator: values.length === 1 ? 'eq' : 'in', values };
    })
    .sort((a, b) => {
      const ka = JSON.stringify([a.dimension, a.operator, a.values]);
      const kb = JSON.stringify([b.dimension, b.operator, b.values]);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The cache key of a normalized query: prefix + sha256 of its canonical JSON. */
export function analyticsCacheKey(query: NormalizedQuery): string {
  const canonical = canonicalJson({
    // v2: rows carry bucketStart/bucketEnd, so entries cached before them are never read back.
    v: 2,
    metrics: [...query.metrics].sort(),
    dimensions: query.dimensions,
    start: query.start,
    end: query.end,
    filters: canonicalFilters(query.filters),
    kpis: query.kpis ? [...query.kpis].sort() : null,
    timeZone: query.timeZone ?? 'UTC',
    granularity: query.granularity ?? 'P1D',
  });
  return ANALYTICS_CACHE_PREFIX + createHash('sha256').update(canonical).digest('hex');
}
