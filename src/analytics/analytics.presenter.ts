import { TabularResult } from '../common/format/tabular-result';
import type { ResponseMeta } from '../common/http/response-meta';
import type { SummaryOutcome } from './analytics.service';
import type {
  AnalyticsCompatResponseDto,
  AnalyticsSummaryResponseDto,
  KpiResponseDto,
} from './dto/analytics-response.dto';
import type { AnalyticsRow } from './kpi/kpi-engine';
import { KPI_CATALOGUE } from './kpi/kpi-catalogue';
import { kpiDimensions } from './analytics-capabilities';
import type { AnalyticsCapabilities } from './analytics.source';
import type { KpiCatalogueWithCapabilitiesDto } from './dto/analytics-capabilities.dto';

function metaOf(outcome: SummaryOutcome): ResponseMeta {
  // Only an answer from a fresh entry may be replayed; a stale or 304 answer never is.
  const replayable = outcome.status !== 'STALE' && !outcome.notModified;
  return {
    headers: { 'x-cache': outcome.status, etag: outcome.etag },
    notModified: outcome.notModified,
    replay: replayable
      ? { cache: 'analytics', key: outcome.key, version: outcome.version }
      : undefined,
  };
}

/** POST /v1/analytics/summary: the envelope for JSON, rows + columns for CSV / NDJSON. */
export function presentSummary(outcome: SummaryOutcome): TabularResult<AnalyticsRow> {
  const { payload } = outcome;
  const envelope: AnalyticsSummaryResponseDto = {
    rows: payload.rows,
    rowCount: payload.rows.length,
    columns: payload.columns,
    kpis: payload.kpis,
    generatedAt: payload.generatedAt,
    cache: { status: outcome.status, ageSeconds: outcome.ageSeconds },
    ...(payload.warnings ? { warnings: payload.warnings } : {}),
  };
  return new TabularResult<AnalyticsRow>(envelope, payload.rows, payload.columns, metaOf(outcome));
}

/**
 * POST /api/v1/analytics/query: the v2 §analytics `{status, row_count, data, columns}` as JSON;
 * a table too, so `?format=csv` (or Accept: text/csv) gives the same spreadsheet-safe CSV as /v1.
 */
export function presentCompat(outcome: SummaryOutcome): TabularResult<AnalyticsRow> {
  const { payload } = outcome;
  const body: AnalyticsCompatResponseDto = {
    status: 'success',
    row_count: payload.rows.length,
    data: payload.rows,
    columns: payload.columns,
  };
  return new TabularResult<AnalyticsRow>(body, payload.rows, payload.columns, metaOf(outcome));
}

/**
 * GET /v1/analytics/kpis: the KPIs the bound dialect can compute (all inputs among its metrics),
 * in catalogue order; where its sources answer dimensions apart, each with the dimensions it can
 * be asked with. Without capabilities: the whole catalogue.
 */
export function presentCatalogue(caps?: AnalyticsCapabilities): KpiResponseDto[] {
  const grouped = (caps?.dimensionGroups?.length ?? 0) > 0;
  return KPI_CATALOGUE.flatMap((k) => {
    const dimensions = caps ? kpiDimensions(caps, k) : [];
    if (!dimensions) return [];
    return [
      {
        name: k.name,
        formula: k.formula,
        requires: [...k.requires],
        ...(k.requiresDimensions ? { requiresDimensions: [...k.requiresDimensions] } : {}),
        unit: k.unit,
        description: k.description,
        ...(grouped ? { dimensions } : {}),
      },
    ];
  });
}

/** GET /v1/analytics/kpis?include=capabilities: the catalogue and what the dialect answers. */
export function presentCatalogueWithCapabilities(
  caps: AnalyticsCapabilities,
): KpiCatalogueWithCapabilitiesDto {
  return {
    kpis: presentCatalogue(caps),
    capabilities: {
      metrics: [...caps.metrics],
      dimensions: [...caps.dimensions],
      ...(caps.dimensionGroups
        ? {
            dimensionGroups: caps.dimensionGroups.map((g) => ({
              source: g.source,
              dimensions: [...g.dimensions],
              metrics: [...g.metrics],
            })),
          }
        : {}),
      ...(caps.unavailableMetrics ? { unavailableMetrics: { ...caps.unavailableMetrics } } : {}),
    },
  };
}
