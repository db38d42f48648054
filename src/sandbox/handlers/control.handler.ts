import { computeExportTruth, MAX_TRUTH_RANGE_DAYS } from '../export-truth';
import { parseFaultSpecs, ROUTE_NAMES, type RouteName } from '../faults';
import {
  DATA_EXTRACTION_CONTROL_ROUTES,
  resetDataExtraction,
  resetDataExtractionStats,
} from '../incontact/data-extraction/de-control';
import { summaryTruth } from '../incontact/history/summary-truth';
import { DAY_MS, parseIsoInstant } from '../iso-time';
import { failure, json, parseJson, type JsonResult, type SandboxRequest } from '../sandbox-http';
import type { SandboxState } from '../sandbox-state';
import { TENANT_RATE_LIMIT_CONTROL_ROUTES } from '../tenant-rate-limit';
import {
  getQuirks,
  listQueues,
  PARAM_CONTROL_ROUTES,
  resetQuirks,
  setQuirks,
} from './world-control.handler';

type ControlHandler = (state: SandboxState, req: SandboxRequest) => JsonResult;

const ok = (): JsonResult => json(200, { ok: true });

function stats(state: SandboxState): JsonResult {
  return json(200, {
    ...state.stats.snapshot(),
    activeExportsMax: state.jobs.activeMax,
    tokensIssued: state.tokens.issued,
    incontactTokensIssued: state.incontact.accessTokens.issued,
  });
}

function addFaults(state: SandboxState, req: SandboxRequest): JsonResult {
  const body = parseJson(req.body);
  if (!body.ok) return failure(400, 'bad_request', 'Body is not valid JSON');
  const parsed = parseFaultSpecs(body.value);
  if (!parsed.ok) return failure(400, 'bad_request', parsed.message);
  state.faults.add(parsed.faults);
  return json(200, { faults: state.faults.list() });
}

function requests(state: SandboxState, req: SandboxRequest): JsonResult {
  const route = req.query.get('route');
  if (!ROUTE_NAMES.includes(route as RouteName))
    return failure(400, 'bad_request', `route must be one of ${ROUTE_NAMES.join(', ')}`);
  return json(200, { route, requests: state.stats.requests(route as RouteName) });
}

function exportTruth(state: SandboxState, req: SandboxRequest): JsonResult {
  const fromMs = parseIsoInstant(req.query.get('dateFrom'));
  const toMs = parseIsoInstant(req.query.get('dateTo'));
  const windowDays = Number(req.query.get('windowDays') ?? 30);
  if (fromMs === undefined || toMs === undefined || toMs <= fromMs)
    return failure(
      400,
      'bad_request',
      'dateFrom and dateTo must be ISO 8601 with dateTo after dateFrom',
    );
  if (toMs - fromMs > MAX_TRUTH_RANGE_DAYS * DAY_MS)
    return failure(400, 'bad_request', `range may span at most ${MAX_TRUTH_RANGE_DAYS} days`);
  if (!(windowDays > 0 && windowDays <= 30))
    return failure(400, 'bad_request', 'windowDays must be a number in (0, 30]');
  const { seed, exportEventsPerDay } = state.options;
  return json(
    200,
    computeExportTruth({ seed, eventsPerDay: exportEventsPerDay, fromMs, toMs, windowDays }),
  );
}

/** `METHOD path` (under /_sandbox) → handler. No auth: this is the test harness's back door. */
export const CONTROL_ROUTES: Record<string, ControlHandler> = {
  'GET /health': () => json(200, { status: 'ok' }),
  'GET /fixtures': (state) => json(200, state.fixtures),
  'GET /stats': stats,
  'POST /stats/reset': (state) => {
    state.resetStats();
    resetDataExtractionStats(state);
    return ok();
  },
  'GET /faults': (state) => json(200, { faults: state.faults.list() }),
  'POST /faults': addFaults,
  'DELETE /faults': (state) => {
    state.faults.clear();
    return ok();
  },
  'POST /tokens/expire': (state) => {
    state.tokens.expireAll();
    state.incontact.expireTokens();
    return ok();
  },
  'GET /requests': requests,
  'POST /reset': (state) => {
    state.resetAll();
    resetDataExtraction(state);
    return ok();
  },
  'GET /truth/exports': exportTruth,
  'GET /truth/summaries': summaryTruth,
  'GET /queues': listQueues,
  'GET /quirks': getQuirks,
  'POST /quirks': setQuirks,
  'DELETE /quirks': resetQuirks,
  ...DATA_EXTRACTION_CONTROL_ROUTES,
  ...TENANT_RATE_LIMIT_CONTROL_ROUTES,
};

/** The handler of a control call (`subpath` is the path under /_sandbox), with its path params. */
export function controlHandlerFor(
  method: string,
  subpath: string,
): { handler: ControlHandler; params: Record<string, string> } | undefined {
  const exact = CONTROL_ROUTES[`${method} ${subpath}`];
  if (exact) return { handler: exact, params: {} };
  for (const r of PARAM_CONTROL_ROUTES) {
    const m = r.method === method ? r.pattern.exec(subpath) : null;
    if (m) return { handler: r.handler, params: { [r.param]: decodeURIComponent(m[1]) } };
  }
  return undefined;
}
