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
import { DATA_EXTRACTION_ROUTE_NAMES } from './incontact/data-extraction/de-route-names';
import type { HandlerResult, SandboxRequest } from './sandbox-http';
import type { SandboxState } from './sandbox-state';

export type UpstreamHandler = (state: SandboxState, req: SandboxRequest) => HandlerResult;

interface UpstreamRoute {
  name: RouteName;
  method: string;
  pattern: RegExp;
  handler: UpstreamHandler;
}

const SEGMENT = '([^/]+)';

function route(
  name: RouteName,
  method: string,
  path: string,
  handler: UpstreamHandler,
): UpstreamRoute {
  const source = path.replace(/:[A-Za-z]+/g, SEGMENT);
  return { name, method, pattern: new RegExp(`^${source}$`), handler };
}

/** Every upstream call of the seed dialect. The three token paths are the seeds' three spellings. */
const ROUTES: UpstreamRoute[] = [
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
  ...DATA_EXTRACTION_ROUTES.map((r) => route(r.name, r.method, r.path, r.handler)),
];

const PARAM_NAMES: Record<RouteName, string[]> = {
  token: [],
  agentHistory: ['agentId'],
  queueStats: [],
  analyticsQuery: [],
  exportCreate: [],
  exportList: [],
  exportGet: ['exportId'],
  exportDownload: ['exportId'],
  userGet: ['userId'],
  userStatus: ['userId'],
  dataExtractionCreate: [],
  dataExtractionList: [],
  dataExtractionGet: ['jobId'],
  dataExtractionFile: ['file'],
};

export type RouteMatch =
  | { kind: 'route'; name: RouteName; handler: UpstreamHandler; params: Record<string, string> }
  | { kind: 'methodNotAllowed'; allowed: string[] }
  | { kind: 'notFound' };

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function matchRoute(method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (r.method !== method) {
      allowed.push(r.method);
      continue;
    }
    const params = Object.fromEntries(
      PARAM_NAMES[r.name].map((p, i) => [p, decodeSegment(m[i + 1])]),
    );
    return { kind: 'route', name: r.name, handler: r.handler, params };
  }
  return allowed.length > 0 ? { kind: 'methodNotAllowed', allowed } : { kind: 'notFound' };
}

const CHECKS_OWN_CREDENTIALS: ReadonlySet<RouteName> = new Set(DATA_EXTRACTION_ROUTE_NAMES);

/**
 * Every route but the token endpoint needs a bearer token. Data Extraction routes check their
 * own: the API a token, the storage route a URL signature and the absence of a token.
 */
export function requiresToken(name: RouteName): boolean {
  return name !== 'token' && !CHECKS_OWN_CREDENTIALS.has(name);
}
