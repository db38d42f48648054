import type { RouteName } from './faults';
import { handleAnalyticsQuery } from './handlers/analytics.handler';
import {
  handleExportCreate,
  handleExportDownload,
  handleExportGet,
  handleExportList,
} from './handlers/exports.handler';
import { handleAgentHistory, handleQueueStats } from './handlers/reporting.handler';
import { handleToken } from './handlers/token.handler';
import { handleUserGet, handleUserStatus } from './handlers/users.handler';
import { DATA_EXTRACTION_ROUTES } from './incontact/data-extraction/de.routes';
import { INCONTACT_ROUTES } from './incontact/incontact.routes';
import { matchIn, route, type RouteMatch, type UpstreamRoute } from './route-table';

export type { RouteMatch, UpstreamHandler } from './route-table';

/** Every upstream call of the seed dialect. The three token paths are the seeds' three spellings. */
const V2_ROUTES: UpstreamRoute[] = [
  route('token', 'POST', '/oauth/token', handleToken),
  route('token', 'POST', '/v2/oauth2/token', handleToken),
  route('token', 'POST', '/oauth2/token', handleToken),
  route('agentHistory', 'GET', '/api/v2/reporting/agents/:agentId/history', handleAgentHistory),
  route('queueStats', 'GET', '/api/v2/reporting/queues/stats', handleQueueStats),
  route('analyticsQuery', 'POST', '/api/v2/analytics/summary/query', handleAnalyticsQuery),
  route('exportCreate', 'POST', '/api/v2/analytics/exports', handleExportCreate),
  route('exportList', 'GET', '/api/v2/analytics/exports', handleExportList),
  route('exportGet', 'GET', '/api/v2/analytics/exports/:exportId', handleExportGet),
  route(
    'exportDownload',
    'GET',
    '/api/v2/analytics/exports/:exportId/download',
    handleExportDownload,
  ),
  route('userGet', 'GET', '/api/v2/users/:userId', handleUserGet),
  route('userStatus', 'PUT', '/api/v2/users/:userId/status', handleUserStatus),
];

/**
 * Both surfaces on one server. Data Extraction routes check their own credentials: the API a
 * token, the storage route a URL signature and the absence of a token.
 */
const ROUTES: UpstreamRoute[] = [
  ...V2_ROUTES,
  ...INCONTACT_ROUTES,
  ...DATA_EXTRACTION_ROUTES.map((r) => route(r.name, r.method, r.path, r.handler, 'own')),
];

export function matchRoute(method: string, path: string): RouteMatch {
  return matchIn(ROUTES, method, path);
}

/** v2 routes but the token endpoint need a v2 bearer token. */
export function requiresToken(name: RouteName): boolean {
  return name !== 'token';
}
