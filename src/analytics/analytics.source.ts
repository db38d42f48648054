import type { OperationBudget } from '../cxone/operation-budget';
import type { NormalizedQuery } from './analytics-query';

/**
 * How a dialect's upstream relates to time buckets: `utc-days` — it groups the `date`
 * dimension by UTC calendar day itself (the seed API), so only P1D in UTC can be answered
 * honestly; `range` — it aggregates whatever range it is given, so the gateway asks once per
 * bucket, without the `date` dimension.
 */
export type UpstreamBucketing = 'utc-days' | 'range';

/** Rows of one complete upstream query (all pages), still raw: the engine checks every cell. */
export interface AnalyticsSourceResult {
  rows: unknown[];
  pages: number;
}

/**
 * Dimensions one upstream source answers together, and the metrics it gives with them (the real
 * CXone API answers skills, agents and teams from different summaries, which cannot be joined).
 */
export interface AnalyticsDimensionGroup {
  /** What answers the group, as messages name it (e.g. "the skill summaries"). */
  source: string;
  dimensions: readonly string[];
  metrics: readonly string[];
}

/**
 * What a dialect can answer. The validator allows exactly these names and combinations, and
 * GET /v1/analytics/kpis shows them, so a caller sees the same lists in both places.
 */
export interface AnalyticsCapabilities {
  metrics: readonly string[];
  dimensions: readonly string[];
  /** Absent: any combination of the listed metrics and dimensions can be asked together. */
  dimensionGroups?: readonly AnalyticsDimensionGroup[];
  /** Metrics this dialect refuses although other dialects know them, each with the reason. */
  unavailableMetrics?: Readonly<Record<string, string>>;
}

/** How one upstream query is run: the bounds of the whole summary it belongs to. */
export interface AnalyticsQueryOptions {
  /**
   * Counts and stops every upstream call of the summary (deadline, call limit); a source that
   * learns the size from a first page refuses via `refuseIfMore` before paging on.
   */
  budget?: OperationBudget;
}

/**
 * The analytics capability of an upstream dialect. The service depends on this, so a second
 * dialect (CXone's Data Extraction API) can be added behind the same internal API.
 */
export interface AnalyticsSource {
  /**
   * How the upstream answers the `date` dimension (see UpstreamBucketing); absent = `utc-days`,
   * the seed API's behaviour. A `range` source is asked once per time bucket, without `date`.
   */
  readonly bucketing?: UpstreamBucketing;
  /**
   * The names and combinations this dialect answers; constant for the life of the process.
   * Absent = the tenant lists of config (ANALYTICS_ALLOWED_*), any combination.
   */
  capabilities?(): AnalyticsCapabilities;
  /**
   * Upstream calls one `query` costs when that is known before running it (a `range` source:
   * a fixed set of summary calls per bucket); absent: unknown until the first page.
   */
  callsPerQuery?(query: NormalizedQuery): number;
  /** Runs the query to its last page. Throws AppError (UPSTREAM_*, CIRCUIT_OPEN, RATE_LIMITED). */
  query(query: NormalizedQuery, options?: AnalyticsQueryOptions): Promise<AnalyticsSourceResult>;
}

export const ANALYTICS_SOURCE = Symbol('ANALYTICS_SOURCE');
