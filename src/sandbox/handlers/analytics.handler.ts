import {
  aggregateAnalytics,
  applyNumericStringQuirk,
  decodeCursor,
  encodeCursor,
  InvalidQueryError,
  parseAnalyticsQuery,
  queryFingerprint,
  type AnalyticsQuery,
  type AnalyticsRow,
} from '../analytics-query';
import { failure, json, parseJson, type HandlerResult, type SandboxRequest } from '../sandbox-http';
import { maybeHostile, unhostile } from '../hostile-text';
import type { SandboxState } from '../sandbox-state';

function invalidQuery(message: string): HandlerResult {
  return failure(400, 'invalidQuery', message);
}

export function handleAnalyticsQuery(state: SandboxState, req: SandboxRequest): HandlerResult {
  const body = parseJson(req.body);
  if (!body.ok) return invalidQuery('Body is not valid JSON');
  let query: AnalyticsQuery;
  try {
    query = parseAnalyticsQuery(body.value);
  } catch (error) {
    if (error instanceof InvalidQueryError) return invalidQuery(error.message);
    throw error;
  }
  // A client filtering on a value it was served as hostile text means the plain value.
  query = {
    ...query,
    filters: query.filters.map((f) => ({ ...f, values: f.values.map(unhostile) })),
  };
  return answerPage(state, query);
}

const MAX_CACHED_QUERIES = 32;

/** Pages of one query chain share their aggregation; the data never changes for a seed. */
function rowsFor(state: SandboxState, query: AnalyticsQuery, fingerprint: string): AnalyticsRow[] {
  const cached = state.analyticsRows.get(fingerprint);
  if (cached) return cached;
  const rows = aggregateAnalytics(state.options.seed, query);
  if (state.analyticsRows.size >= MAX_CACHED_QUERIES) state.analyticsRows.clear();
  state.analyticsRows.set(fingerprint, rows);
  return rows;
}

function answerPage(state: SandboxState, query: AnalyticsQuery): HandlerResult {
  const { seed, analyticsPageSize } = state.options;
  const fingerprint = queryFingerprint(query);
  const rows = rowsFor(state, query, fingerprint);
  let offset = 0;
  try {
    if (query.next !== undefined) offset = decodeCursor(query.next, fingerprint, rows.length);
  } catch (error) {
    if (error instanceof InvalidQueryError) return invalidQuery(error.message);
    throw error;
  }
  const pageSize = Math.min(query.pageSize ?? analyticsPageSize, analyticsPageSize);
  const end = offset + pageSize;
  const hostileOn = state.incontact.quirks.hostileText;
  const data = rows
    .slice(offset, end)
    .map((row) => withHostileDimensions(hostileOn, applyNumericStringQuirk(seed, query, row)));
  if (query.next === undefined) state.stats.analyticsChains += 1;
  return json(200, {
    data,
    paging: { next: end < rows.length ? encodeCursor(end, fingerprint) : null },
    metadata: { ...announcedTotal(state, rows.length), pageSize },
  });
}

/** `metadata.totalRows` as the `analyticsTotalRows` quirk says: it is not a documented field. */
function announcedTotal(state: SandboxState, total: number): { totalRows?: number | string } {
  switch (state.incontact.quirks.analyticsTotalRows) {
    case 'count':
      return { totalRows: total };
    case 'string':
      return { totalRows: String(total) };
    case 'absent':
      return {};
  }
}

/** Text dimension values as hostile text (`hostileText`); ids, dates and metrics untouched. */
const TEXT_DIMENSIONS = ['channel', 'skill', 'campaign'];

function withHostileDimensions(on: boolean, row: AnalyticsRow): AnalyticsRow {
  if (!on) return row;
  const out: AnalyticsRow = { ...row };
  for (const key of TEXT_DIMENSIONS)
    if (typeof out[key] === 'string') out[key] = maybeHostile(true, out[key]);
  return out;
}
