import { isoDay } from '../../iso-time';
import { DAY_MS } from '../../iso-time';
import { failure, json, type JsonResult, type SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { isProblem } from '../acd-request';
import { durationSeconds } from '../values';
import {
  agentPerformanceRow,
  agentWindow,
  skillSummaryRow,
  skillWindow,
  teamPerformanceRows,
} from './summary-rows';
import { summaryDays } from './summaries.handler';

/**
 * `GET /_sandbox/truth/summaries?startDate&endDate&dimensions=a,b`: what a correct client of the
 * summary endpoints must compute, read from the very rows the sandbox serves (so rounding on the
 * wire is part of the truth): one call per UTC day when `date` is a dimension, else one call for
 * the window; counts summed, averages weighted by contacts handled (occupancy and working rate
 * by login time), rates recomputed from summed parts, the longest wait a maximum.
 */

const SKILL_DIMENSIONS = ['skill', 'queue', 'channel', 'campaign', 'direction'] as const;
const DIMENSIONS = [...SKILL_DIMENSIONS, 'agent', 'team', 'date'] as const;
type Dimension = (typeof DIMENSIONS)[number];
type Family = 'skills' | 'agents' | 'teams';
type Row = Record<string, unknown>;

const num = (row: Row, key: string): number => Number(row[key]);
const sec = (row: Row, key: string): number => durationSeconds(row[key]);

/** Which summary answers the dimensions, or why none can. */
function family(dimensions: Dimension[]): { family: Family } | { problem: string } {
  const skill = dimensions.some((d) => (SKILL_DIMENSIONS as readonly string[]).includes(d));
  const agent = dimensions.includes('agent');
  const team = dimensions.includes('team');
  if ([skill, agent, team].filter(Boolean).length > 1)
    return {
      problem:
        'skill-side dimensions (skill, queue, channel, campaign, direction), agent and team come from different summaries and cannot be combined',
    };
  return { family: agent ? 'agents' : team ? 'teams' : 'skills' };
}

function keyOf(row: Row, dimensions: Dimension[], date: string): Record<string, string> {
  const value = (d: Dimension): string => {
    switch (d) {
      case 'skill':
      case 'queue':
        return String(row.skillId);
      case 'channel':
        return String(row.mediaTypeName);
      case 'campaign':
        return String(row.campaignName);
      case 'direction':
        return row.isOutbound === true ? 'outbound' : 'inbound';
      case 'agent':
        return String(row.agentId);
      case 'team':
        return String(row.teamId);
      case 'date':
        return date;
    }
  };
  return Object.fromEntries(dimensions.map((d) => [d, value(d)]));
}

function skillMetrics(rows: Row[]): Record<string, number> {
  const sum = (f: (r: Row) => number): number => rows.reduce((s, r) => s + f(r), 0);
  const handled = sum((r) => num(r, 'contactsHandled'));
  const offered = sum((r) => num(r, 'contactsOffered'));
  const within = sum((r) => num(r, 'contactsWithinSLA'));
  const out = sum((r) => num(r, 'contactsOutOfSLA'));
  const abandoned = sum((r) => num(r, 'abandonCount'));
  const weighted = (key: string): number =>
    handled === 0 ? 0 : sum((r) => sec(r, key) * num(r, 'contactsHandled')) / handled;
  return {
    contacts_offered: offered,
    contacts_handled: handled,
    abandon_count: abandoned,
    contacts_within_sla: within,
    contacts_out_of_sla: out,
    abandon_rate: offered === 0 ? 0 : (abandoned / offered) * 100,
    service_level: within + out === 0 ? 0 : (within / (within + out)) * 100,
    handle_time: weighted('averageHandleTime'),
    talk_time: weighted('averageTalkTime'),
    wrap_time: weighted('averageWrapTime'),
    queue_time: weighted('averageInqueueTime'),
    average_speed_of_answer: weighted('averageSpeedToAnswer'),
    // holdTime is a window total: per handled contact only once summed.
    hold_time: handled === 0 ? 0 : sum((r) => sec(r, 'holdTime')) / handled,
    longest_wait: Math.max(0, ...rows.map((r) => sec(r, 'longestQueueDur'))),
  };
}

function performanceMetrics(rows: Row[]): Record<string, number> {
  const sum = (f: (r: Row) => number): number => rows.reduce((s, r) => s + f(r), 0);
  const handled = sum((r) => num(r, 'totalHandled'));
  const login = sum((r) => sec(r, 'loginTime'));
  const byHandled = (key: string): number =>
    handled === 0 ? 0 : sum((r) => sec(r, key) * num(r, 'totalHandled')) / handled;
  const byLogin = (key: string): number =>
    login === 0 ? 0 : sum((r) => num(r, key) * sec(r, 'loginTime')) / login;
  return {
    contacts_offered: sum((r) => num(r, 'agentOffered')),
    contacts_handled: handled,
    handle_time: byHandled('totalAvgHandleTime'),
    talk_time: byHandled('totalAvgTalkTime'),
    wrap_time: handled === 0 ? 0 : sum((r) => sec(r, 'acwTime')) / handled,
    occupancy: byLogin('occupancy'),
    working_rate: byLogin('workingRate'),
    login_time: login,
    available_time: sum((r) => sec(r, 'availableTime')),
    unavailable_time: sum((r) => sec(r, 'unavailableTime')),
  };
}

function rowsOf(state: SandboxState, fam: Family, days: number[]): Row[] {
  const world = state.incontact.history;
  switch (fam) {
    case 'skills':
      return skillWindow(world, days).map(({ skill, totals }) =>
        skillSummaryRow(state, skill, totals),
      );
    case 'agents':
      return agentWindow(world, days).map((a) => agentPerformanceRow(state, a, false));
    case 'teams':
      return teamPerformanceRows(state, world, days);
  }
}

export function summaryTruth(state: SandboxState, req: SandboxRequest): JsonResult {
  const days = summaryDays(req.query);
  if (isProblem(days)) return failure(400, 'bad_request', days.message);
  const dimensions = (req.query.get('dimensions') ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  const unknown = dimensions.filter((d) => !(DIMENSIONS as readonly string[]).includes(d));
  if (unknown.length > 0)
    return failure(
      400,
      'bad_request',
      `unknown dimensions ${unknown.join(', ')}; known: ${DIMENSIONS.join(', ')}`,
    );
  const dims = dimensions as Dimension[];
  const chosen = family(dims);
  if ('problem' in chosen) return failure(400, 'bad_request', chosen.problem);
  const fam = chosen.family;
  const calls = dims.includes('date') ? days.map((d) => [d]) : [days];
  const groups = new Map<string, { key: Record<string, string>; rows: Row[] }>();
  for (const callDays of calls) {
    const date = isoDay(callDays[0] * DAY_MS);
    for (const row of rowsOf(state, fam, callDays)) {
      const key = keyOf(row, dims, date);
      const id = JSON.stringify(key);
      const group = groups.get(id) ?? { key, rows: [] };
      group.rows.push(row);
      groups.set(id, group);
    }
  }
  const metricsOf = fam === 'skills' ? skillMetrics : performanceMetrics;
  return json(200, {
    family: fam,
    upstreamCalls: calls.length,
    days: days.map((d) => isoDay(d * DAY_MS)),
    groups: [...groups.values()]
      .sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)))
      .map((g) => ({ key: g.key, upstreamRows: g.rows.length, metrics: metricsOf(g.rows) })),
  });
}
