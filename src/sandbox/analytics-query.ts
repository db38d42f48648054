import {
  ANALYTICS_DIMENSIONS,
  ANALYTICS_METRICS,
  CELLS_PER_DAY,
  factCell,
  factInteractions,
  activeFactMetric,
  type AnalyticsDimension,
  type AnalyticsMetric,
} from './analytics-facts';
import { hash, hashString } from './hash';
import { DAY_MS, isoDay, parseIsoInstant } from './iso-time';

/** The longest dateRange one query may cover, to keep a single call bounded. */
export const MAX_ANALYTICS_RANGE_DAYS = 366;

export interface AnalyticsFilter {
  dimension: AnalyticsDimension;
  values: string[];
}

export interface AnalyticsQuery {
  metrics: AnalyticsMetric[];
  dimensions: AnalyticsDimension[];
  startMs: number;
  endMs: number;
  filters: AnalyticsFilter[];
  pageSize?: number;
  next?: string;
}

export type AnalyticsRow = Record<string, string | number>;

export class InvalidQueryError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList<T extends string>(value: unknown, field: string, allowed: readonly T[]): T[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new InvalidQueryError(`${field} must be an array of strings`);
  const invalid = value.filter((v) => !allowed.includes(v as T));
  if (invalid.length > 0)
    throw new InvalidQueryError(
      `Unsupported ${field}: ${invalid.join(', ')}. Allowed: ${allowed.join(', ')}`,
    );
  return value as T[];
}

function parseFilter(value: unknown, index: number): AnalyticsFilter {
  const where = `filters[${index}]`;
  if (!isRecord(value)) throw new InvalidQueryError(`${where} must be an object`);
  const { dimension, operator } = value;
  if (!ANALYTICS_DIMENSIONS.includes(dimension as AnalyticsDimension))
    throw new InvalidQueryError(
      `${where}.dimension must be one of ${ANALYTICS_DIMENSIONS.join(', ')}`,
    );
  if (operator === 'eq' && typeof value.value === 'string')
    return { dimension: dimension as AnalyticsDimension, values: [value.value] };
  if (
    operator === 'in' &&
    Array.isArray(value.values) &&
    value.values.every((v) => typeof v === 'string')
  )
    return { dimension: dimension as AnalyticsDimension, values: value.values };
  throw new InvalidQueryError(
    `${where} must be {dimension, operator:"eq", value} or {dimension, operator:"in", values:[...]}`,
  );
}

function parsePaging(value: unknown): { pageSize?: number; next?: string } {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new InvalidQueryError('paging must be an object');
  const { pageSize, next } = value;
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && Number(pageSize) >= 1))
    throw new InvalidQueryError('paging.pageSize must be a positive integer');
  if (next !== undefined && next !== null && typeof next !== 'string')
    throw new InvalidQueryError('paging.next must be a string');
  return {
    pageSize: pageSize as number | undefined,
    next: typeof next === 'string' && next !== '' ? next : undefined,
  };
}

function parseDateRange(value: unknown): { startMs: number; endMs: number } {
  if (!isRecord(value)) throw new InvalidQueryError('dateRange must be {start, end}');
  const startMs = parseIsoInstant(value.start);
  const endMs = parseIsoInstant(value.end);
  if (startMs === undefined || endMs === undefined)
    throw new InvalidQueryError('dateRange.start and dateRange.end must be ISO 8601');
  if (endMs <= startMs) throw new InvalidQueryError('dateRange.end must be after dateRange.start');
  if (endMs - startMs > MAX_ANALYTICS_RANGE_DAYS * DAY_MS)
    throw new InvalidQueryError(`dateRange may span at most ${MAX_ANALYTICS_RANGE_DAYS} days`);
  return { startMs, endMs };
}

/** Validates a summary query body exactly as the upstream does; throws InvalidQueryError. */
export function parseAnalyticsQuery(body: unknown): AnalyticsQuery {
  if (!isRecord(body)) throw new InvalidQueryError('body must be a JSON object');
  const metrics = stringList(body.metrics, 'metrics', ANALYTICS_METRICS);
  if (metrics.length < 1 || metrics.length > 10)
    throw new InvalidQueryError('metrics must hold 1 to 10 entries');
  const dimensions = stringList(body.dimensions ?? [], 'dimensions', ANALYTICS_DIMENSIONS);
  if (dimensions.length > 5) throw new InvalidQueryError('dimensions may hold at most 5 entries');
  if (new Set(dimensions).size !== dimensions.length)
    throw new InvalidQueryError('dimensions must not repeat');
  const filtersRaw = body.filters ?? [];
  if (!Array.isArray(filtersRaw)) throw new InvalidQueryError('filters must be an array');
  return {
    metrics,
    dimensions,
    ...parseDateRange(body.dateRange),
    filters: filtersRaw.map(parseFilter),
    ...parsePaging(body.paging),
  };
}

interface Group {
  values: string[];
  interactions: number;
  sums: number[];
}

function dimensionValue(dimension: AnalyticsDimension, date: string, cell: number): string {
  return dimension === 'date' ? date : factCell(cell)[dimension];
}

function passes(filters: AnalyticsFilter[], date: string, cell: number): boolean {
  return filters.every((f) => f.values.includes(dimensionValue(f.dimension, date, cell)));
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * Aggregates the fact rows of every UTC day touching [start, end) by the requested dimensions.
 * Every metric is the interaction-weighted mean Σ(n·m)/Σn rounded to 2 decimals (0 when Σn = 0).
 * Rows are sorted by the dimension values in the requested order. Values are plain numbers;
 * the numeric-string quirk is applied later by `applyNumericStringQuirk`.
 */
export function aggregateAnalytics(seed: number, query: AnalyticsQuery): AnalyticsRow[] {
  const groups = new Map<string, Group>();
  const firstDay = Math.floor(query.startMs / DAY_MS);
  const lastDay = Math.ceil(query.endMs / DAY_MS) - 1;
  for (let day = firstDay; day <= lastDay; day += 1) {
    const date = isoDay(day * DAY_MS);
    for (let cell = 0; cell < CELLS_PER_DAY; cell += 1) {
      if (query.filters.length > 0 && !passes(query.filters, date, cell)) continue;
      addCell(groups, query, { seed, day, date, cell });
    }
  }
  return [...groups.values()]
    .sort((a, b) => compareValues(a.values, b.values))
    .map((g) => toRow(query, g));
}

function addCell(
  groups: Map<string, Group>,
  query: AnalyticsQuery,
  at: { seed: number; day: number; date: string; cell: number },
): void {
  const { seed, day, date, cell } = at;
  let key = '';
  for (const d of query.dimensions) key += `${dimensionValue(d, date, cell)}\u0001`;
  let group = groups.get(key);
  if (!group) {
    const values = query.dimensions.map((d) => dimensionValue(d, date, cell));
    group = { values, interactions: 0, sums: query.metrics.map(() => 0) };
    groups.set(key, group);
  }
  const n = factInteractions(seed, day, cell);
  if (n === 0) return;
  group.interactions += n;
  for (let i = 0; i < query.metrics.length; i += 1)
    group.sums[i] += n * activeFactMetric(seed, day, cell, query.metrics[i]);
}

function compareValues(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i += 1) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

function toRow(query: AnalyticsQuery, group: Group): AnalyticsRow {
  const row: AnalyticsRow = {};
  query.dimensions.forEach((d, i) => (row[d] = group.values[i]));
  query.metrics.forEach((m, i) => {
    row[m] = group.interactions === 0 ? 0 : round2(group.sums[i] / group.interactions);
  });
  return row;
}

/**
 * Upstream quirk: about 5 % of metric values arrive as numeric strings ("123.4"). Which ones is
 * a pure function of (seed, row dimension values, metric), so a repeated query repeats them.
 */
export function applyNumericStringQuirk(
  seed: number,
  query: AnalyticsQuery,
  row: AnalyticsRow,
): AnalyticsRow {
  const rowKey = hashString(query.dimensions.map((d) => row[d]).join('\u0001'));
  const out: AnalyticsRow = { ...row };
  for (const metric of query.metrics) {
    if (hash(seed, rowKey, hashString(metric), 7) % 20 === 0) out[metric] = String(row[metric]);
  }
  return out;
}

/** Identifies the query (not the page) so a cursor cannot be replayed against another query. */
export function queryFingerprint(query: AnalyticsQuery): string {
  const { metrics, dimensions, startMs, endMs, filters } = query;
  return hashString(JSON.stringify({ metrics, dimensions, startMs, endMs, filters })).toString(36);
}

export function encodeCursor(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ v: 1, o: offset, q: fingerprint })).toString('base64url');
}

/** The row offset a cursor points at; throws InvalidQueryError for anything we did not issue. */
export function decodeCursor(cursor: string, fingerprint: string, totalRows: number): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidQueryError('paging.next is not a valid cursor');
  }
  const c = isRecord(parsed) ? parsed : {};
  const offset = c.o;
  const valid =
    c.v === 1 &&
    c.q === fingerprint &&
    typeof offset === 'number' &&
    Number.isInteger(offset) &&
    offset > 0 &&
    offset < totalRows;
  if (!valid) throw new InvalidQueryError('paging.next is not a valid cursor for this query');
  return offset;
}
