import type { HandlerResult, SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { badParam, isProblem, list, notFound, pathId, windowParams } from '../acd-request';
import { BUSINESS_UNIT_ID, icAgent, icSkill, icTeam } from '../ic-fixtures';
import { pageMeta, pageSlice, parsePageRequest, requestUrl, type ParamProblem } from '../paging';
import { fieldsParam, projectFields } from '../values';
import {
  agentPerformanceRow,
  agentWindow,
  skillSummaryRow,
  skillWindow,
  slaSummaryRow,
  teamPerformanceRows,
} from './summary-rows';
import { SummaryWorld } from './summary-world';

/** Longest window one summary call covers (not documented; a year keeps a call bounded). */
export const MAX_SUMMARY_DAYS = 366;

/** The UTC days a summary window covers: every day touching [startDate, endDate). */
export function summaryDays(query: URLSearchParams): number[] | ParamProblem {
  const window = windowParams(query);
  if (isProblem(window)) return window;
  const days = SummaryWorld.daysTouching(window.startMs, window.endMs);
  if (days.length > MAX_SUMMARY_DAYS)
    return { param: 'endDate', message: `the window may span at most ${MAX_SUMMARY_DAYS} days` };
  return days;
}

function boolFilter(query: URLSearchParams, name: string): boolean | undefined | ParamProblem {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (/^(true|false)$/i.test(raw)) return /^true$/i.test(raw);
  return { param: name, message: `${name} must be true or false, got "${raw}"` };
}

const project = (state: SandboxState, req: SandboxRequest, rows: Record<string, unknown>[]) => {
  const fields = fieldsParam(req.query);
  return rows.map((r) => projectFields(r, fields));
};

/**
 * The rows of an unpaged summary list under the `summaryCap` quirk: at most that many, and then
 * `totalRecords` saying how many there were (whether CXone caps these lists is not documented).
 */
function capped(
  state: SandboxState,
  rows: Record<string, unknown>[],
): { items: Record<string, unknown>[]; meta?: Record<string, unknown> } {
  const cap = state.incontact.quirks.summaryCap;
  if (cap === 0 || rows.length <= cap) return { items: rows };
  return { items: rows.slice(0, cap), meta: { totalRecords: rows.length } };
}

/** `GET /skills/summary?startDate&endDate[&mediaTypeId&isOutbound&fields]` → `{skillSummaries}`. */
export function handleIcSkillSummary(state: SandboxState, req: SandboxRequest): HandlerResult {
  const days = summaryDays(req.query);
  if (isProblem(days)) return badParam(days);
  const outbound = boolFilter(req.query, 'isOutbound');
  if (isProblem(outbound)) return badParam(outbound);
  const media = req.query.get('mediaTypeId');
  if (media !== null && media !== '' && !/^\d+$/.test(media))
    return badParam({
      param: 'mediaTypeId',
      message: `mediaTypeId must be a number, got "${media}"`,
    });
  const rows = skillWindow(state.incontact.history, days)
    .filter(({ skill }) => outbound === undefined || skill.isOutbound === outbound)
    .filter(({ skill }) => media === null || media === '' || skill.mediaTypeId === Number(media))
    .map(({ skill, totals }) => skillSummaryRow(state, skill, totals));
  return list(state, req, {
    arrayKey: 'skillSummaries',
    ...capped(state, project(state, req, rows)),
    emptyIsNoContent: true,
  });
}

/** `GET /skills/{skillId}/summary?startDate&endDate[&fields]`. */
export function handleIcSkillSummaryOne(state: SandboxState, req: SandboxRequest): HandlerResult {
  const skillId = pathId(req, 'skillId');
  if (isProblem(skillId)) return badParam(skillId);
  if (!icSkill(skillId)) return notFound(`Skill ${skillId}`);
  const days = summaryDays(req.query);
  if (isProblem(days)) return badParam(days);
  const rows = skillWindow(state.incontact.history, days)
    .filter(({ skill }) => skill.skillId === skillId)
    .map(({ skill, totals }) => skillSummaryRow(state, skill, totals));
  return list(state, req, {
    arrayKey: 'skillSummaries',
    items: project(state, req, rows),
    emptyIsNoContent: true,
  });
}

/** `GET /skills/sla-summary?startDate&endDate[&top&skip]`, paged like every ACD list. */
export function handleIcSlaSummary(state: SandboxState, req: SandboxRequest): HandlerResult {
  const days = summaryDays(req.query);
  if (isProblem(days)) return badParam(days);
  const { quirks } = state.incontact;
  const page = parsePageRequest(req.query, quirks.pageCap);
  if (isProblem(page)) return badParam(page);
  const all = skillWindow(state.incontact.history, days).map(({ skill, totals }) =>
    slaSummaryRow(state, skill, totals),
  );
  const slice = pageSlice(all.length, page, quirks.pageCap);
  const items = all.slice(slice.from, slice.from + slice.count);
  return list(state, req, {
    arrayKey: 'serviceLevelSummaries',
    items,
    emptyIsNoContent: true,
    slaKeys: true,
    meta: pageMeta({
      total: all.length,
      page,
      returned: items.length,
      self: requestUrl(req.headers.host, req.path, req.query),
      quirks,
    }),
  });
}

/** `GET /skills/{skillId}/sla-summary?startDate&endDate` → `{serviceLevelSummaries}`. */
export function handleIcSlaSummaryOne(state: SandboxState, req: SandboxRequest): HandlerResult {
  const skillId = pathId(req, 'skillId');
  if (isProblem(skillId)) return badParam(skillId);
  if (!icSkill(skillId)) return notFound(`Skill ${skillId}`);
  const days = summaryDays(req.query);
  if (isProblem(days)) return badParam(days);
  const items = skillWindow(state.incontact.history, days)
    .filter(({ skill }) => skill.skillId === skillId)
    .map(({ skill, totals }) => slaSummaryRow(state, skill, totals));
  return list(state, req, {
    arrayKey: 'serviceLevelSummaries',
    items,
    emptyIsNoContent: true,
    slaKeys: true,
  });
}

/** `GET /agents/performance?startDate&endDate[&fields]` → `{agentPerformance}`. */
export function handleIcAgentPerformance(state: SandboxState, req: SandboxRequest): HandlerResult {
  const days = summaryDays(req.query);
  if (isProblem(days)) return badParam(days);
  const rows = agentWindow(state.incontact.history, days).map((a) =>
    agentPerformanceRow(state, a, false),
  );
  return list(state, req, {
    arrayKey: 'agentPerformance',
    ...capped(state, project(state, req, rows)),
    emptyIsNoContent: true,
  });
}

/** `GET /agents/{agentId}/performance` → `{businessUnitId, lastPollTime, agentPerformance}`. */
export function handleIcAgentPerformanceOne(
  state: SandboxState,
  req: SandboxRequest,
): HandlerResult {
  const agentId = pathId(req, 'agentId');
  if (isProblem(agentId)) return badParam(agentId);
  if (!icAgent(agentId)) return notFound(`Agent ${agentId}`);
  const days = summaryDays(req.query);
  if (isProblem(days)) return badParam(days);
  const rows = agentWindow(state.incontact.history, days)
    .filter((a) => a.agentId === agentId)
    .map((a) => agentPerformanceRow(state, a, true));
  return list(state, req, {
    arrayKey: 'agentPerformance',
    items: project(state, req, rows),
    emptyIsNoContent: true,
    meta: { businessUnitId: BUSINESS_UNIT_ID, lastPollTime: new Date(state.now()).toISOString() },
  });
}

/** `GET /teams/performance-total?startDate&endDate[&fields]` → `{teamPerformanceTotal}`. */
export function handleIcTeamPerformance(state: SandboxState, req: SandboxRequest): HandlerResult {
  const days = summaryDays(req.query);
  if (isProblem(days)) return badParam(days);
  const rows = teamPerformanceRows(state, state.incontact.history, days);
  return list(state, req, {
    arrayKey: 'teamPerformanceTotal',
    ...capped(state, project(state, req, rows)),
    emptyIsNoContent: true,
  });
}

/** `GET /teams/{teamId}/performance-total?startDate&endDate[&fields]`. */
export function handleIcTeamPerformanceOne(
  state: SandboxState,
  req: SandboxRequest,
): HandlerResult {
  const teamId = pathId(req, 'teamId');
  if (isProblem(teamId)) return badParam(teamId);
  if (!icTeam(teamId)) return notFound(`Team ${teamId}`);
  const days = summaryDays(req.query);
  if (isProblem(days)) return badParam(days);
  const rows = teamPerformanceRows(state, state.incontact.history, days, [teamId]);
  return list(state, req, {
    arrayKey: 'teamPerformanceTotal',
    items: project(state, req, rows),
    emptyIsNoContent: true,
  });
}
