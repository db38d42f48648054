import { CxoneRecord } from '../normalise/record';
import { readAcdPage, type AcdPage } from '../reporting/acd-paging';
import type { Fact } from './rollup';

/**
 * The four historical summary families, each row read through the normalisation rules (values
 * typed or as strings, `"True"`/`"False"`, integer-second strings or ISO-8601 durations, keys in
 * any case, `resultSet` wrappers, 204 as empty) into a Fact: the answer's dimension values and
 * the figures the roll-up rules take, by CXone field name.
 */

/** A skill summary row, with the id its SLA counts are joined on. */
export type SkillFact = Fact & { skillId: string };

/** `/skills/summary` → `skillSummaries[]`: one row per skill over the window. */
export function parseSkillSummary(raw: unknown, path: string): SkillFact {
  const item = CxoneRecord.of(raw, path);
  const skillId = item.requiredId('skillId');
  const outbound = item.boolean('isOutbound');
  return {
    skillId,
    dims: {
      skill: item.text('skillName'),
      queue: skillId,
      channel: item.text(['mediaTypeName', 'mediaName']),
      campaign: item.text('campaignName'),
      direction: outbound === null ? null : outbound ? 'outbound' : 'inbound',
    },
    parts: {
      contactsOffered: item.number('contactsOffered'),
      contactsHandled: item.number('contactsHandled'),
      abandonCount: item.number('abandonCount'),
      contactsWithinSLA: item.number('contactsWithinSLA'),
      contactsOutOfSLA: item.number('contactsOutOfSLA'),
      averageHandleTime: item.seconds('averageHandleTime'),
      averageTalkTime: item.seconds('averageTalkTime'),
      averageInqueueTime: item.seconds('averageInqueueTime'),
      averageWrapTime: item.seconds('averageWrapTime'),
      averageSpeedToAnswer: item.seconds('averageSpeedToAnswer'),
      holdTime: item.seconds('holdTime'),
      longestQueueDur: item.seconds('longestQueueDur'),
    },
  };
}

/** SLA counts of one skill from `/skills/sla-summary` (PascalCase or camelCase keys). */
export interface SlaCounts {
  skillId: string;
  contactsWithinSLA: number | null;
  contactsOutOfSLA: number | null;
}

export function parseSlaSummary(raw: unknown, path: string): SlaCounts {
  const item = CxoneRecord.of(raw, path);
  return {
    skillId: item.requiredId('skillId'),
    contactsWithinSLA: item.number('contactsWithinSLA'),
    contactsOutOfSLA: item.number('contactsOutOfSLA'),
  };
}

/** The figures agent performance and team totals share (ISO-8601 or second durations). */
function performanceParts(item: CxoneRecord): Fact['parts'] {
  return {
    agentOffered: item.number('agentOffered'),
    totalHandled: item.number('totalHandled'),
    totalAvgHandleTime: item.seconds('totalAvgHandleTime'),
    totalTalkTime: item.seconds('totalTalkTime'),
    acwTime: item.seconds('acwTime'),
    occupancy: item.number('occupancy'),
    workingRate: item.number('workingRate'),
    loginTime: item.seconds('loginTime'),
    availableTime: item.seconds('availableTime'),
    unavailableTime: item.seconds('unavailableTime'),
  };
}

/** `/agents/performance` → `agentPerformance[]`: one row per agent, with the agent's team. */
export function parseAgentPerformance(raw: unknown, path: string): Fact {
  const item = CxoneRecord.of(raw, path);
  return {
    dims: { agent: item.requiredId('agentId'), team: item.id(['teamId', 'teamNo']) },
    parts: performanceParts(item),
  };
}

/** `/teams/performance-total` → `teamPerformanceTotal[]`: one row per team. */
export function parseTeamPerformance(raw: unknown, path: string): Fact {
  const item = CxoneRecord.of(raw, path);
  return { dims: { team: item.requiredId('teamId') }, parts: performanceParts(item) };
}

/** A page of one of these lists, as the paging loop reads it. */
export function summaryPage<T>(
  arrayKey: string,
  parseRow: (raw: unknown, path: string) => T,
): (body: unknown) => AcdPage<T> {
  return (body) => readAcdPage(body, arrayKey, parseRow);
}

/**
 * The skill summaries with their SLA counts: `/skills/sla-summary` wins where it lists the
 * skill (it is the family made for them); a skill it does not list keeps the counts of its own
 * summary row.
 */
export function withSlaCounts(skills: readonly SkillFact[], sla: readonly SlaCounts[]): Fact[] {
  const bySkill = new Map(sla.map((s) => [s.skillId, s]));
  return skills.map((fact) => {
    const counts = bySkill.get(fact.skillId);
    if (!counts) return { dims: fact.dims, parts: fact.parts };
    return {
      dims: fact.dims,
      parts: {
        ...fact.parts,
        contactsWithinSLA: counts.contactsWithinSLA,
        contactsOutOfSLA: counts.contactsOutOfSLA,
      },
    };
  });
}
