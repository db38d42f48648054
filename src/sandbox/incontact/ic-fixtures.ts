import { SANDBOX_FIXTURES } from '../fixtures';

/**
 * The inContact view of the one simulated world: the same agents, queues (CXone skills) and days
 * as the v2 surface, with the numeric ids the real API uses. Each numeric id is derived from the
 * v2 id's last hex group, so the mapping is fixed and can be computed in both directions.
 */

export const BUSINESS_UNIT_ID = 4599570;
export const TENANT_ID = '11ee5a0d-b0c5-4c1e-9a5e-5a0dbc000042';
export const TENANT_NAME = 'SandboxTenant';
export const CLUSTER_ID = 'C32';
export const AREA = 'na1';

const AGENT_BASE = 1_000_000;
const SKILL_BASE = 8_400_000;

/** Last 12 hex digits of a fixture UUID as a number (`…-000000000002` → 2). */
const suffix = (uuid: string): number => Number.parseInt(uuid.slice(-12), 16);

/** Numeric agent id of a v2 agent UUID. */
export const agentIdOf = (v2AgentId: string): number => AGENT_BASE + suffix(v2AgentId);
/** Numeric skill id of a v2 queue UUID. */
export const skillIdOf = (v2QueueId: string): number => SKILL_BASE + suffix(v2QueueId);

export interface IcSkill {
  skillId: number;
  /** The v2 queue this skill is (undefined for the retired skill, which v2 never lists). */
  queueId?: string;
  skillName: string;
  mediaTypeId: number;
  mediaTypeName: string;
  isOutbound: boolean;
  campaignId: number;
  campaignName: string;
  serviceLevelGoal: number;
  serviceLevelThreshold: number;
  isActive: boolean;
}

export interface IcTeam {
  teamId: number;
  teamName: string;
  teamUuid: string;
}

export interface IcAgent {
  agentId: number;
  /** The v2 id of the same person (reporting agent or user), when the v2 surface has one. */
  v2Id?: string;
  firstName: string;
  lastName: string;
  teamId: number;
  isActive: boolean;
  /** Seconds-of-day stamp for the station (stable per agent). */
  stationId: number;
}

const Q = SANDBOX_FIXTURES.queues;
const [SPRING, RETENTION] = SANDBOX_FIXTURES.analytics.campaigns;

const skill = (
  queue: { id: string; name: string },
  media: [number, string],
  rest: Pick<IcSkill, 'isOutbound' | 'serviceLevelGoal' | 'serviceLevelThreshold'> & {
    campaign: 0 | 1;
  },
): IcSkill => ({
  skillId: skillIdOf(queue.id),
  queueId: queue.id,
  skillName: queue.name,
  mediaTypeId: media[0],
  mediaTypeName: media[1],
  isOutbound: rest.isOutbound,
  campaignId: 2_577_001 + rest.campaign,
  campaignName: rest.campaign === 0 ? SPRING : RETENTION,
  serviceLevelGoal: rest.serviceLevelGoal,
  serviceLevelThreshold: rest.serviceLevelThreshold,
  isActive: true,
});

const PHONE: [number, string] = [4, 'Phone Call'];

/** The four v2 queues as skills, then one retired (inactive) skill only this surface lists. */
export const IC_SKILLS: readonly IcSkill[] = [
  skill(Q[0], PHONE, {
    isOutbound: false,
    serviceLevelGoal: 80,
    serviceLevelThreshold: 30,
    campaign: 0,
  }),
  skill(Q[1], [1, 'E-Mail'], {
    isOutbound: false,
    serviceLevelGoal: 90,
    serviceLevelThreshold: 28800,
    campaign: 1,
  }),
  skill(Q[2], [3, 'Chat'], {
    isOutbound: false,
    serviceLevelGoal: 80,
    serviceLevelThreshold: 60,
    campaign: 0,
  }),
  skill(Q[3], PHONE, {
    isOutbound: true,
    serviceLevelGoal: 70,
    serviceLevelThreshold: 20,
    campaign: 1,
  }),
  {
    skillId: SKILL_BASE + 5,
    skillName: 'Legacy Overflow',
    mediaTypeId: 4,
    mediaTypeName: 'Phone Call',
    isOutbound: false,
    campaignId: 2_577_001,
    campaignName: SPRING,
    serviceLevelGoal: 80,
    serviceLevelThreshold: 30,
    isActive: false,
  },
];

export const UNKNOWN_SKILL_ID = SKILL_BASE + 0xff;

export const IC_TEAMS: readonly IcTeam[] = [
  { teamId: 2_472_301, teamName: 'Support', teamUuid: '11ea0000-7ea3-4000-8000-000000000001' },
  { teamId: 2_472_302, teamName: 'Sales', teamUuid: '11ea0000-7ea3-4000-8000-000000000002' },
];
export const UNKNOWN_TEAM_ID = 2_472_399;

const [SUPPORT, SALES] = IC_TEAMS.map((t) => t.teamId);
const A = SANDBOX_FIXTURES.agents;
const roster = SANDBOX_FIXTURES.agentRoster;
const U = SANDBOX_FIXTURES.users;

const agent = (
  v2Id: string | undefined,
  agentId: number,
  name: [string, string],
  teamId: number,
  isActive = true,
): IcAgent => ({
  agentId,
  v2Id,
  firstName: name[0],
  lastName: name[1],
  teamId,
  isActive,
  stationId: 4400 + (agentId % 1000),
});

const split = (full: string): [string, string] => {
  const [first, ...rest] = full.split(' ');
  return [first, rest.join(' ')];
};

/** Users of the v2 status surface are agents here too, numbered from 1000101. */
const userAgentId = (v2UserId: string): number => AGENT_BASE + 100 + suffix(v2UserId);

export const IC_AGENTS: readonly IcAgent[] = [
  agent(A.busy, agentIdOf(A.busy), split(roster[0].name), SUPPORT),
  agent(A.moderate, agentIdOf(A.moderate), split(roster[1].name), SUPPORT),
  agent(A.quiet, agentIdOf(A.quiet), ['Quinn', 'Quiet'], SUPPORT),
  ...roster
    .slice(2)
    .map((r, i) => agent(r.id, agentIdOf(r.id), split(r.name), i < 1 ? SUPPORT : SALES)),
  agent(U.agent, userAgentId(U.agent), ['Alice', 'Agent'], SUPPORT),
  agent(U.supervisor, userAgentId(U.supervisor), ['Sam', 'Supervisor'], SUPPORT),
  agent(U.noAgentRole, userAgentId(U.noAgentRole), ['Victor', 'Viewer'], SALES),
  agent(U.offShift, userAgentId(U.offShift), ['Olga', 'Offshift'], SALES),
  agent(U.wrapUp, userAgentId(U.wrapUp), ['Walter', 'Wrapup'], SUPPORT),
  agent(U.noShift, userAgentId(U.noShift), ['Nina', 'Noshift'], SALES),
  agent(undefined, AGENT_BASE + 107, ['Iris', 'Inactive'], SALES, false),
];

export const UNKNOWN_AGENT_ID = agentIdOf(A.unknown);

const byId = new Map(IC_AGENTS.map((a) => [a.agentId, a]));
export const icAgent = (agentId: number): IcAgent | undefined => byId.get(agentId);
export const icSkill = (skillId: number): IcSkill | undefined =>
  IC_SKILLS.find((s) => s.skillId === skillId);
export const icTeam = (teamId: number): IcTeam | undefined =>
  IC_TEAMS.find((t) => t.teamId === teamId);

/** What `/_sandbox/fixtures` lists under `incontact` (credentials added by the running sandbox). */
export interface IncontactFixtures {
  tenantId: string;
  businessUnitId: number;
  agents: { busy: number; moderate: number; quiet: number; unknown: number };
  /** Status fixtures (part of every agent list), keyed like the v2 users plus `inactive`. */
  statusAgents: {
    active: number;
    supervisor: number;
    acw: number;
    inactive: number;
  };
  /** Every agent: numeric id, the v2 id of the same person, name, team, active flag. */
  agentRoster: IcAgent[];
  skills: IcSkill[];
  inactiveSkill: number;
  unknownSkill: number;
  teams: IcTeam[];
  unknownTeam: number;
}

export const INCONTACT_FIXTURES: IncontactFixtures = {
  tenantId: TENANT_ID,
  businessUnitId: BUSINESS_UNIT_ID,
  agents: {
    busy: agentIdOf(A.busy),
    moderate: agentIdOf(A.moderate),
    quiet: agentIdOf(A.quiet),
    unknown: UNKNOWN_AGENT_ID,
  },
  statusAgents: {
    active: userAgentId(U.agent),
    supervisor: userAgentId(U.supervisor),
    acw: userAgentId(U.wrapUp),
    inactive: AGENT_BASE + 107,
  },
  agentRoster: [...IC_AGENTS],
  skills: [...IC_SKILLS],
  inactiveSkill: SKILL_BASE + 5,
  unknownSkill: UNKNOWN_SKILL_ID,
  teams: [...IC_TEAMS],
  unknownTeam: UNKNOWN_TEAM_ID,
};
