import {
  aggregateAnalytics,
  applyNumericStringQuirk,
  decodeCursor,
  encodeCursor,
  InvalidQueryError,
  parseAnalyticsQuery,
  queryFingerprint,
  type AnalyticsQuery,
} from '../analytics-query';
import { failure, json, parseJson, type HandlerResult, type SandboxRequest } from '../sandbox-http';
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
  return answerPage(state, query);
}

function answerPage(state: SandboxState, query: AnalyticsQuery): HandlerResult {
  const { seed, analyticsPageSize } = state.options;
  const rows = aggregateAnalytics(seed, query);
  const fingerprint = queryFingerprint(query);
  let offset = 0;
  try {
    if (query.next !== undefined) offset = decodeCursor(query.next, fingerprint, rows.length);
  } catch (error) {
    if (error instanceof InvalidQueryError) return invalidQuery(error.message);
    throw error;
  }
  const pageSize = Math.min(query.pageSize ?? analyticsPageSize, analyticsPageSize);
  const end = offset + pageSize;
  const data = rows.slice(offset, end).map((row) => applyNumericStringQuirk(seed, query, row));
  if (query.next === undefined) state.stats.analyticsChains += 1;
  return json(200, {
    data,
    paging: { next: end < rows.length ? encodeCursor(end, fingerprint) : null },
    metadata: { totalRows: rows.length, pageSize },
  });
}
