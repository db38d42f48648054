import type { NormalizedQuery } from './analytics-query';
import type { UpstreamBucketing } from './buckets/bucketed-query';

/** Rows of one complete upstream query (all pages), still raw: the engine checks every cell. */
export interface AnalyticsSourceResult {
  rows: unknown[];
  pages: number;
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
  /** Runs the query to its last page. Throws AppError (UPSTREAM_*, CIRCUIT_OPEN, RATE_LIMITED). */
  query(query: NormalizedQuery): Promise<AnalyticsSourceResult>;
}

export const ANALYTICS_SOURCE = Symbol('ANALYTICS_SOURCE');
