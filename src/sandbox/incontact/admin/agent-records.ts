import { maybeHostile } from '../../hostile-text';
import type { SandboxState } from '../../sandbox-state';
import { IC_AGENTS, icTeam, INCONTACT_FIXTURES, type IcAgent } from '../ic-fixtures';

/** Agent and user records of the admin and user-management APIs, from the one world's agents. */

const SUPERVISOR = INCONTACT_FIXTURES.statusAgents.supervisor;

/**
 * The UserHub user id of an agent: the v2 user's UUID for the status fixtures (so the access
 * key's `userId` claim names a real user), else derived from the agent id.
 */
export function userIdOf(agent: IcAgent): string {
  if (agent.v2Id?.startsWith('e0000000')) return agent.v2Id;
  return `f0000000-0000-4000-8000-${agent.agentId.toString(16).padStart(12, '0')}`;
}

/** An agent by ACD id or by UserHub user id (the single-agent route takes either). */
export function agentByIdOrUser(id: string): IcAgent | undefined {
  if (/^\d+$/.test(id)) return IC_AGENTS.find((a) => a.agentId === Number(id));
  return IC_AGENTS.find((a) => userIdOf(a) === id.toLowerCase());
}

const userName = (a: IcAgent): string => `${a.firstName}.${a.lastName}@example.com`.toLowerCase();
const CREATED = '2022-01-10T09:00:00.000Z';

/** `GET /agents/{id}` item. */
export function agentRecord(state: SandboxState, agent: IcAgent): Record<string, unknown> {
  const on = state.incontact.quirks.hostileText;
  const team = icTeam(agent.teamId);
  const supervisor = IC_AGENTS.find((a) => a.agentId === SUPERVISOR);
  const isSupervisor = agent.agentId === SUPERVISOR;
  return {
    agentId: agent.agentId,
    userName: userName(agent),
    firstName: maybeHostile(on, agent.firstName),
    middleName: '',
    lastName: maybeHostile(on, agent.lastName),
    emailAddress: userName(agent),
    userID: userIdOf(agent),
    isActive: agent.isActive,
    teamId: agent.teamId,
    teamName: maybeHostile(on, team?.teamName ?? ''),
    teamUuId: team?.teamUuid ?? '',
    isSupervisor,
    reportToId: isSupervisor ? 0 : SUPERVISOR,
    reportToName:
      isSupervisor || !supervisor ? '' : `${supervisor.firstName} ${supervisor.lastName}`,
    profileId: isSupervisor ? 2 : 1,
    profileName: isSupervisor ? 'Supervisor' : 'Agent',
    timeZone: 'UTC',
    timeZoneOffset: '+00:00',
    userType: 'Agent',
    lastLogin: new Date(state.incontact.startedAtMs).toISOString(),
    lastUpdated: CREATED,
    createDate: CREATED,
    hireDate: '2022-01-10',
    terminationDate: '',
    inactiveDate: agent.isActive ? '' : '2025-06-30T00:00:00.000Z',
    internalId: `EMP${agent.agentId}`,
    federatedId: '',
    ntLoginName: '',
    divisionNo: 0,
  };
}

/** `GET /user-management/v3/users/{userId}` → `{user}` (UserHub ids are strings throughout). */
export function userRecord(state: SandboxState, agent: IcAgent): Record<string, unknown> {
  const on = state.incontact.quirks.hostileText;
  const isSupervisor = agent.agentId === SUPERVISOR;
  const first = maybeHostile(on, agent.firstName);
  const last = maybeHostile(on, agent.lastName);
  return {
    id: userIdOf(agent),
    userName: userName(agent),
    firstName: first,
    middleName: '',
    lastName: last,
    displayName: `${first} ${last}`,
    fullName: `${first} ${last}`,
    emailAddress: userName(agent),
    emailToBeVerified: '',
    type: 'USER',
    mobileNumber: '',
    mobileNumber2: '',
    assignedGroup: '',
    rank: 0,
    country: 'US',
    timeZone: 'America/Denver',
    role: isSupervisor ? 'Supervisor' : 'Agent',
    roleUUID: isSupervisor
      ? '11e9aaaa-0000-4000-8000-000000000002'
      : '11e9aaaa-0000-4000-8000-000000000001',
    secondaryRoleIds: [],
    hireDate: '2022-01-10',
    deletedDate: '',
    status: agent.isActive ? 'ACTIVE' : 'BLOCKED',
    teamId: icTeam(agent.teamId)?.teamUuid ?? '',
    acdInfos: [{ loginId: String(agent.agentId) }],
    groupIds: [],
    customAttributes: { digitalEngagement: { id: 'de', values: [{ value: 'false' }] } },
    impersonated: false,
    billable: true,
    externalIdentity: '',
    views: [],
    loginAuthenticatorId: '11eaaaaa-0000-4000-8000-000000000001',
  };
}
