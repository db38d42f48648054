import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../../config/config.constants';
import type { AppConfig } from '../../../config/app-config.types';
import { CxoneClient } from '../../../cxone/cxone.client';
import { CursorPage, fetchAllCursor } from '../../../cxone/paging';
import type { NormalizedFilter, NormalizedQuery } from '../../../analytics/analytics-query';
import type {
  AnalyticsCapabilities,
  AnalyticsSource,
  AnalyticsSourceResult,
} from '../../../analytics/analytics.source';

/** Rows asked for per page (the v2 §analytics value); CXone may send fewer. */
export const ANALYTICS_PAGE_SIZE = 100;
/** Guard against a cursor chain that never ends (pages × page size bounds one query). */
export const ANALYTICS_MAX_PAGES = 500;

type UpstreamFilter =
  | { dimension: string; operator: 'eq'; value: string }
  | { dimension: string; operator: 'in'; values: string[] };

/** The seed dialect: POST /api/v2/analytics/summary/query with cursor paging. */
@Injectable()
export class V2AnalyticsSource implements AnalyticsSource {
  constructor(
    private readonly cxone: CxoneClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The seed query takes any metrics × dimensions: the tenant lists, in any combination. */
  capabilities(): AnalyticsCapabilities {
    const { allowedMetrics, allowedDimensions } = this.config.analytics;
    return { metrics: allowedMetrics, dimensions: allowedDimensions };
  }

  async query(query: NormalizedQuery): Promise<AnalyticsSourceResult> {
    const base = {
      metrics: query.metrics,
      dimensions: query.dimensions,
      dateRange: { start: query.start, end: query.end },
      filters: query.filters.map(toUpstreamFilter),
    };
    const { records, pages } = await fetchAllCursor<unknown>({
      maxPages: ANALYTICS_MAX_PAGES,
      fetchPage: async (next) => {
        const res = await this.cxone.request(
          {
            operation: 'analyticsQuery',
            method: 'POST',
            path: '/api/v2/analytics/summary/query',
            body: { ...base, paging: { pageSize: ANALYTICS_PAGE_SIZE, next } },
            // A query changes nothing upstream, so retrying it is safe.
            idempotent: true,
          },
          validateSummaryPage,
        );
        return res.data;
      },
    });
    return { rows: records, pages };
  }
}

function toUpstreamFilter(f: NormalizedFilter): UpstreamFilter {
  return f.operator === 'eq'
    ? { dimension: f.dimension, operator: 'eq', value: f.values[0] }
    : { dimension: f.dimension, operator: 'in', values: f.values };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{data: [object…], paging?: {next?: string|null}}`; throws on any other shape. */
export function validateSummaryPage(body: unknown): CursorPage<unknown> {
  if (!isRecord(body)) throw new Error('body is not an object');
  const { data, paging } = body;
  if (!Array.isArray(data)) throw new Error('data is not an array');
  const badRow = data.findIndex((row) => !isRecord(row));
  if (badRow >= 0) throw new Error(`data[${badRow}] is not an object`);
  if (paging === undefined || paging === null) return { data, next: null };
  if (!isRecord(paging)) throw new Error('paging is not an object');
  const next = paging.next;
  if (next !== undefined && next !== null && typeof next !== 'string') {
    throw new Error('paging.next is not a string');
  }
  return { data, next: typeof next === 'string' && next !== '' ? next : null };
}
