import type { NormalizedQuery } from '../analytics-query';

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
  /** Runs the query to its last page. Throws AppError (UPSTREAM_*, CIRCUIT_OPEN, RATE_LIMITED). */
  query(query: NormalizedQuery): Promise<AnalyticsSourceResult>;
}

export const ANALYTICS_SOURCE = Symbol('ANALYTICS_SOURCE');
