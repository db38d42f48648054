import { maybeHostile } from '../../hostile-text';
import type { SandboxState } from '../../sandbox-state';
import { BUSINESS_UNIT_ID, IC_AGENTS, IC_SKILLS, IC_TEAMS, type IcSkill } from '../ic-fixtures';
import { isoDuration, secondsText } from '../values';
import {
  addAgentDays,
  addSkillDays,
  emptyAgentDay,
  emptySkillDay,
  SummaryWorld,
  type AgentDay,
  type SkillDay,
} from './summary-world';

/**
 * The rows of the historical summaries, one per entity over a window of UTC days, with typed
 * values in each endpoint's documented encoding (the wire style is applied later). Rates are
 * recomputed from the window's counts, never averaged.
 */

const pct = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100;

function skillTotals(world: SummaryWorld, days: number[], skillId: number): SkillDay {
  return days.reduce((sum, d) => addSkillDays(sum, world.skillDay(d, skillId)), emptySkillDay());
}

function agentTotals(world: SummaryWorld, days: number[], agentId: number): AgentDay {
  return days.reduce((sum, d) => addAgentDays(sum, world.agentDay(d, agentId)), emptyAgentDay());
}

/** `/skills/summary` row. Durations: integer-second strings (v21 captures) or ISO-8601. */
export function skillSummaryRow(
  state: SandboxState,
  skill: IcSkill,
  t: SkillDay,
): Record<string, unknown> {
  const { quirks } = state.incontact;
  const on = quirks.hostileText;
  const dur = (ms: number): string =>
    quirks.summaryDurations === 'seconds' ? secondsText(ms) : isoDuration(ms);
  const avg = (ms: number): number => (t.handled === 0 ? 0 : ms / t.handled);
  const entry = state.queues.find(skill.skillId);
  const live = entry ? state.queues.figures(entry) : undefined;
  const offered = t.handled + t.abandoned;
  const outOfSla = t.handled - t.withinSla;
  const aht = avg(t.handleMs) / 60_000;
  return {
    businessUnitId: BUSINESS_UNIT_ID,
    businessUnitName: maybeHostile(on, 'Sandbox Business Unit'),
    skillId: skill.skillId,
    skillName: maybeHostile(on, skill.skillName),
    campaignId: skill.campaignId,
    campaignName: maybeHostile(on, skill.campaignName),
    mediaTypeId: skill.mediaTypeId,
    mediaTypeName: maybeHostile(on, skill.mediaTypeName),
    isOutbound: skill.isOutbound,
    contactsOffered: offered,
    contactsHandled: t.handled,
    contactsQueued: skill.isOutbound ? 0 : offered,
    contactsActive: live?.contactsActive ?? 0,
    contactsWithinSLA: t.withinSla,
    contactsOutOfSLA: outOfSla,
    abandonCount: t.abandoned,
    abandonRate: pct(t.abandoned, offered),
    serviceLevel: pct(t.withinSla, t.withinSla + outOfSla),
    serviceLevelGoal: skill.serviceLevelGoal,
    serviceLevelThreshold: skill.serviceLevelThreshold,
    queueCount: live?.queueCount ?? 0,
    agentsAcw: live?.agentsAcw ?? 0,
    agentsAvailable: live?.agentsAvailable ?? 0,
    agentsIdle: live?.agentsAvailable ?? 0,
    agentsLoggedIn: live?.agentsLoggedIn ?? 0,
    agentsUnavailable: live?.agentsUnavailable ?? 0,
    agentsWorking: live?.agentsWorking ?? 0,
    averageHandleTime: dur(avg(t.handleMs)),
    averageInqueueTime: dur(avg(t.queueMs)),
    averageSpeedToAnswer: dur(avg(t.queueMs)),
    averageTalkTime: dur(avg(t.talkMs)),
    averageWrapTime: dur(avg(t.wrapMs)),
    holdTime: dur(t.holdMs),
    longestQueueDur: dur(t.longestWaitMs),
    totalContactTime: dur(t.handleMs),
    dials: skill.isOutbound ? offered : 0,
    connects: t.handled,
    connectsAHT: aht.toFixed(2),
    rightPartyConnects: skill.isOutbound ? Math.round(t.handled * 0.6) : 0,
    rightPartyConnectsAHT: (skill.isOutbound ? aht : 0).toFixed(2),
  };
}

/** Skills with contacts in the window (a skill without any has no row), with their totals. */
export function skillWindow(
  world: SummaryWorld,
  days: number[],
): { skill: IcSkill; totals: SkillDay }[] {
  return IC_SKILLS.map((skill) => ({
    skill,
    totals: skillTotals(world, days, skill.skillId),
  })).filter((s) => s.totals.handled > 0);
}

/** `/skills/sla-summary` row: the same counts as the skill summary, by its own field names. */
export function slaSummaryRow(
  state: SandboxState,
  skill: IcSkill,
  t: SkillDay,
): Record<string, unknown> {
  const out = t.handled - t.withinSla;
  return {
    businessUnitId: BUSINESS_UNIT_ID,
    skillId: skill.skillId,
    skillName: maybeHostile(state.incontact.quirks.hostileText, skill.skillName),
    contactsWithinSLA: t.withinSla,
    contactsOutOfSLA: out,
    totalContacts: t.withinSla + out,
    serviceLevel: pct(t.withinSla, t.withinSla + out),
  };
}

/** Agents with contacts in the window, with their totals. */
export function agentWindow(
  world: SummaryWorld,
  days: number[],
): { agentId: number; teamId: number; totals: AgentDay }[] {
  return IC_AGENTS.map((a) => ({
    agentId: a.agentId,
    teamId: a.teamId,
    totals: agentTotals(world, days, a.agentId),
  })).filter((a) => a.totals.inboundHandled + a.totals.outboundHandled > 0);
}

/** Performance fields shared by agents and teams (ISO-8601 durations, or seconds by quirk). */
function performance(state: SandboxState, t: AgentDay): Record<string, unknown> {
  const dur = (ms: number): string | number =>
    state.incontact.quirks.durations === 'iso' ? isoDuration(ms) : Math.round(ms) / 1000;
  const handled = t.inboundHandled + t.outboundHandled;
  const per = (ms: number, n: number): number => (n === 0 ? 0 : Math.round(ms / n));
  const busy = t.inboundHandleMs + t.outboundHandleMs + t.acwMs;
  const available = t.loginMs - busy - t.unavailableMs;
  const offered = handled + t.refused;
  return {
    agentOffered: offered,
    inboundHandled: t.inboundHandled,
    inboundTime: dur(t.inboundHandleMs),
    inboundTalkTime: dur(t.inboundTalkMs),
    inboundAvgTalkTime: dur(per(t.inboundTalkMs, t.inboundHandled)),
    outboundHandled: t.outboundHandled,
    outboundTime: dur(t.outboundHandleMs),
    outboundTalkTime: dur(t.outboundTalkMs),
    outboundAvgTalkTime: dur(per(t.outboundTalkMs, t.outboundHandled)),
    totalHandled: handled,
    totalTalkTime: dur(t.inboundTalkMs + t.outboundTalkMs),
    totalAvgTalkTime: dur(per(t.inboundTalkMs + t.outboundTalkMs, handled)),
    totalAvgHandleTime: dur(per(t.inboundHandleMs + t.outboundHandleMs, handled)),
    consultTime: dur(0),
    availableTime: dur(available),
    unavailableTime: dur(t.unavailableMs),
    acwTime: dur(t.acwMs),
    refused: t.refused,
    percentRefused: pct(t.refused, offered),
    loginTime: dur(t.loginMs),
    workingRate: pct(available + busy, t.loginMs),
    occupancy: pct(busy, busy + available),
  };
}

/**
 * `/agents/performance` row. The single-agent form types `inboundTime` and `consultTime` as
 * numbers (seconds), as the spec declares it; the list form sends them like every duration.
 */
export function agentPerformanceRow(
  state: SandboxState,
  a: { agentId: number; teamId: number; totals: AgentDay },
  single: boolean,
): Record<string, unknown> {
  const row: Record<string, unknown> = {
    agentId: a.agentId,
    teamId: a.teamId,
    ...performance(state, a.totals),
  };
  if (single) {
    row.inboundTime = a.totals.inboundHandleMs / 1000;
    row.consultTime = 0;
  }
  return row;
}

/** Teams with agents in the window: the sums of their agents, averages per agent. */
export function teamPerformanceRows(
  state: SandboxState,
  world: SummaryWorld,
  days: number[],
  teamIds: number[] = IC_TEAMS.map((t) => t.teamId),
): Record<string, unknown>[] {
  const agents = agentWindow(world, days);
  return teamIds.flatMap((teamId) => {
    const members = agents.filter((a) => a.teamId === teamId);
    if (members.length === 0) return [];
    const t = members.reduce((sum, m) => addAgentDays(sum, m.totals), emptyAgentDay());
    const perf = performance(state, t);
    const dur = (ms: number): string | number =>
      state.incontact.quirks.durations === 'iso' ? isoDuration(ms) : Math.round(ms) / 1000;
    const busy = t.inboundHandleMs + t.outboundHandleMs + t.acwMs;
    const available = t.loginMs - busy - t.unavailableMs;
    return [
      {
        teamId,
        ...perf,
        totalAvgHandled: Math.round(Number(perf.totalHandled) / members.length),
        avgAvailableTime: dur(Math.round(available / members.length)),
        avgUnavailableTime: dur(Math.round(t.unavailableMs / members.length)),
      },
    ];
  });
}
