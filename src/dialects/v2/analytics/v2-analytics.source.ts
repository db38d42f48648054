import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../../config/config.constants';
import type { AppConfig } from '../../../config/app-config.types';
import { CxoneClient } from '../../../cxone/cxone.client';
import { CursorPage, fetchAllCursor } from '../../../cxone/paging';
import type { NormalizedFilter, NormalizedQuery } from '../../../analytics/analytics-query';
import type {
  AnalyticsCapabilities,
  AnalyticsQueryOptions,
  AnalyticsSource,
  AnalyticsSourceResult,
} from '../../../analytics/analytics.source';

/** Rows asked for per page (the v2 §analytics value); CXone may send fewer. */
export const ANALYTICS_PAGE_SIZE = 100;
/**
 * Guard against a cursor chain that never ends, when no budget bounds the query. With one, its
 * call limit (ANALYTICS_MAX_UPSTREAM_CALLS) ends the chain first, as a 422 naming it: a query
 * too big to page through is the caller's to shrink, not a CXone fault.
 */
export const ANALYTICS_MAX_PAGES = 500;

/** A summary page, with the total row count the first page may announce. */
export interface SummaryPage extends CursorPage<unknown> {
  totalRows?: number;
}

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

  async query(
    query: NormalizedQuery,
    options: AnalyticsQueryOptions = {},
  ): Promise<AnalyticsSourceResult> {
    const { budget } = options;
    const base = {
      metrics: query.metrics,
      dimensions: query.dimensions,
      dateRange: { start: query.start, end: query.end },
      filters: query.filters.map(toUpstreamFilter),
    };
    const { records, pages } = await fetchAllCursor<unknown>({
      maxPages: budget ? budget.maxCalls + 1 : ANALYTICS_MAX_PAGES,
      fetchPage: async (next) => {
        const res = await this.cxone.request(
          {
            operation: 'analyticsQuery',
            method: 'POST',
            path: '/api/v2/analytics/summary/query',
            body: { ...base, paging: { pageSize: ANALYTICS_PAGE_SIZE, next } },
            // A query changes nothing upstream, so retrying it is safe.
            idempotent: true,
            budget,
          },
          validateSummaryPage,
        );
        // The first page's total (when CXone gives one) prices the whole chain: refuse it now.
        const { totalRows, data } = res.data;
        if (next === undefined && totalRows !== undefined && data.length > 0) {
          budget?.refuseIfMore(Math.ceil(totalRows / data.length));
        }
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

/**
 * `{data: [object…], paging?: {next?: string|null}, metadata?: {totalRows?}}`; throws on any
 * other shape. `metadata.totalRows` is not part of the documented answer: read when it is a
 * count, ignored otherwise.
 */
export function validateSummaryPage(body: unknown): SummaryPage {
  if (!isRecord(body)) throw new Error('body is not an object');
  const { data, paging } = body;
  if (!Array.isArray(data)) throw new Error('data is not an array');
  const badRow = data.findIndex((row) => !isRecord(row));
  if (badRow >= 0) throw new Error(`data[${badRow}] is not an object`);
  const totalRows = announcedTotal(body.metadata);
  const counted = totalRows === undefined ? {} : { totalRows };
  if (paging === undefined || paging === null) return { data, next: null, ...counted };
  if (!isRecord(paging)) throw new Error('paging is not an object');
  const next = paging.next;
  if (next !== undefined && next !== null && typeof next !== 'string') {
    throw new Error('paging.next is not a string');
  }
  return { data, next: typeof next === 'string' && next !== '' ? next : null, ...counted };
}

function announcedTotal(metadata: unknown): number | undefined {
  if (!isRecord(metadata)) return undefined;
  const total = metadata.totalRows;
  return typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : undefined;
}
