import { KPI_CATALOGUE, KPI_DECIMALS, KpiDefinition, MetricValues } from './kpi-catalogue';

/** A dimension cell as it leaves the gateway: text or a number, null when CXone sent nothing. */
export type DimensionValue = string | number | null;
export type AnalyticsRow = Record<string, DimensionValue>;

/** A value CXone sent that could not be used as a number (the cell is null in the output). */
export interface RowWarning {
  /** Index of the row in the (sorted) output. */
  row: number;
  metric: string;
  /** What was received, shortened; never more than 64 characters. */
  received: string;
  message: string;
}

export interface KpiQueryShape {
  metrics: readonly string[];
  dimensions: readonly string[];
  /** Restricts the KPI set; undefined = every KPI the query supports. */
  kpis?: readonly string[];
}

/** Most warnings one response lists; the count of the rest is reported in one extra entry. */
export const MAX_WARNINGS = 100;

/** Whether a KPI can be computed for a query (its metrics and dimensions are all present). */
export function kpiApplies(kpi: KpiDefinition, query: KpiQueryShape): boolean {
  return (
    kpi.requires.every((m) => query.metrics.includes(m)) &&
    (kpi.requiresDimensions ?? []).every((d) => query.dimensions.includes(d))
  );
}

/** The KPIs a query gets, in catalogue order: the requested ones, or all that apply. */
export function selectKpis(query: KpiQueryShape): KpiDefinition[] {
  const wanted = query.kpis ? new Set(query.kpis) : undefined;
  return KPI_CATALOGUE.filter((k) => (!wanted || wanted.has(k.name)) && kpiApplies(k, query));
}

const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export type Coerced = { ok: true; value: number } | { ok: false; received: string };

/**
 * Turns an upstream metric cell into a number. Numbers pass, numeric strings ("123.4") are
 * parsed (CXone sends some values as text); anything else is reported, never silently zeroed.
 */
export function coerceMetric(raw: unknown): Coerced {
  if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: raw };
  if (typeof raw === 'string' && NUMERIC_TEXT.test(raw.trim())) {
    const value = Number(raw.trim());
    if (Number.isFinite(value)) return { ok: true, value };
  }
  return { ok: false, received: describe(raw) };
}

function describe(raw: unknown): string {
  if (raw === undefined) return 'nothing (metric missing)';
  const text = typeof raw === 'string' ? JSON.stringify(raw) : String(JSON.stringify(raw));
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}

/** A dimension cell: strings and finite numbers as sent, anything else as text or null. */
export function dimensionValue(raw: unknown): DimensionValue {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'boolean' || typeof raw === 'bigint') return raw.toString();
  // Objects, arrays, symbols, functions: kept visible as JSON rather than dropped.
  return JSON.stringify(raw) ?? null;
}

/** Numbers numerically, strings by code unit (locale-independent), numbers before strings, null last. */
export function compareDimension(a: DimensionValue, b: DimensionValue): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : 1;
}

/** Sorts rows by the given dimensions in order; stable, so ties keep their upstream order. */
export function sortRows<R extends Record<string, unknown>>(
  rows: readonly R[],
  dimensions: readonly string[],
): R[] {
  return [...rows].sort((x, y) => {
    for (const d of dimensions) {
      const c = compareDimension(x[d] as DimensionValue, y[d] as DimensionValue);
      if (c !== 0) return c;
    }
    return 0;
  });
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return rounded === 0 ? 0 : rounded;
}

/** KPI values of one row, rounded per unit; null where an input is null or a denominator 0. */
export function computeKpis(
  metrics: MetricValues,
  kpis: readonly KpiDefinition[],
): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const kpi of kpis) {
    const value = kpi.compute(metrics);
    out[kpi.name] =
      value === null || !Number.isFinite(value) ? null : roundTo(value, KPI_DECIMALS[kpi.unit]);
  }
  return out;
}

export interface TransformResult {
  rows: AnalyticsRow[];
  columns: string[];
  kpis: string[];
  warnings: RowWarning[];
}

interface Problem {
  metric: string;
  received: string;
}

/**
 * Raw upstream rows → output rows: dimensions kept, metrics coerced to numbers (null + a
 * warning when impossible), KPIs added, rows sorted by the requested dimensions in order.
 */
export function transformRows(raw: readonly unknown[], query: KpiQueryShape): TransformResult {
  const kpis = selectKpis(query);
  const problems = new Map<AnalyticsRow, Problem[]>();
  const built = raw.map((item) => {
    const source =
      typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const row: AnalyticsRow = {};
    for (const d of query.dimensions) row[d] = dimensionValue(source[d]);
    const metrics: Record<string, number | null> = {};
    const rowProblems: Problem[] = [];
    for (const m of query.metrics) {
      const c = coerceMetric(source[m]);
      metrics[m] = c.ok ? c.value : null;
      if (!c.ok) rowProblems.push({ metric: m, received: c.received });
    }
    Object.assign(row, metrics, computeKpis(metrics, kpis));
    if (rowProblems.length > 0) problems.set(row, rowProblems);
    return row;
  });
  const rows = sortRows(built, query.dimensions);
  return {
    rows,
    columns: [...query.dimensions, ...query.metrics, ...kpis.map((k) => k.name)],
    kpis: kpis.map((k) => k.name),
    warnings: collectWarnings(rows, problems),
  };
}

function collectWarnings(
  rows: AnalyticsRow[],
  problems: Map<AnalyticsRow, Problem[]>,
): RowWarning[] {
  const warnings: RowWarning[] = [];
  let dropped = 0;
  rows.forEach((row, index) => {
    for (const p of problems.get(row) ?? []) {
      if (warnings.length >= MAX_WARNINGS) {
        dropped += 1;
        continue;
      }
      warnings.push({
        row: index,
        metric: p.metric,
        received: p.received,
        message: `${p.metric} in row ${index} is not a number (${p.received}); reported as null`,
      });
    }
  });
  if (dropped > 0) {
    warnings.push({
      row: -1,
      metric: '*',
      received: '',
      message: `${dropped} more non-numeric values were reported as null`,
    });
  }
  return warnings;
}
