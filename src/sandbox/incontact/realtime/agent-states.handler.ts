import { maybeHostile } from '../../hostile-text';
import type { HandlerResult, SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { badParam, dateParam, isProblem, list } from '../acd-request';
import { BUSINESS_UNIT_ID, IC_AGENTS, icTeam, type IcAgent } from '../ic-fixtures';
import { pageMeta, pageSlice, parsePageRequest, requestUrl } from '../paging';
import { fieldsParam, projectFields } from '../values';
import { agentLiveState } from './agent-live';

function category(name: string): string {
  if (name === 'Available' || name === 'Unavailable' || name === 'LoggedOut') return name;
  return 'Working';
}

/** One `agentStates[]` item, typed. */
export function agentStateItem(state: SandboxState, agent: IcAgent): Record<string, unknown> {
  const live = agentLiveState(state, agent);
  const since = new Date(live.sinceMs).toISOString();
  const working = category(live.agentStateName) === 'Working';
  const text = (value: string): string => maybeHostile(state.incontact.quirks.hostileText, value);
  return {
    agentId: agent.agentId,
    agentStateId: live.agentStateId,
    agentStateName: text(live.agentStateName),
    agentStateCategory: category(live.agentStateName),
    businessUnitId: BUSINESS_UNIT_ID,
    contactId: live.contactId,
    contactStartHandleTime: working ? since : '',
    firstName: text(agent.firstName),
    lastName: text(agent.lastName),
    fromAddress: live.fromAddress,
    toAddress: live.toAddress,
    isActive: agent.isActive,
    isACW: live.isACW,
    isOutbound: live.isOutbound,
    lastUpdateTime: since,
    mediaTypeId: live.mediaTypeId,
    mediaTypeName: text(live.mediaTypeName),
    openContacts: working ? 1 : 0,
    outStateId: live.outStateId,
    outStateDescription: text(live.outStateDescription),
    sessionStartTime: live.agentStateName === 'LoggedOut' ? '' : since,
    skillId: live.skillId,
    skillName: text(live.skillName),
    startDate: since,
    stationId: agent.stationId,
    stationPhoneNumber: `+1303555${String(agent.stationId).padStart(4, '0')}`,
    teamId: agent.teamId,
    teamName: text(icTeam(agent.teamId)?.teamName ?? ''),
    userName: `${agent.firstName}.${agent.lastName}@example.com`.toLowerCase(),
  };
}

/**
 * `GET /agents/states[?updatedSince&top&skip&fields&reqBUIds&orderBy]`: every agent's current
 * state; with `updatedSince`, only agents whose state changed at or after it.
 */
export function handleIcAgentStates(state: SandboxState, req: SandboxRequest): HandlerResult {
  const since = dateParam(req.query, 'updatedSince', false);
  if (isProblem(since)) return badParam(since);
  const page = parsePageRequest(req.query, state.incontact.quirks.pageCap);
  if (isProblem(page)) return badParam(page);
  const all = [...IC_AGENTS]
    .sort((a, b) => a.agentId - b.agentId)
    .map((agent) => agentStateItem(state, agent))
    .filter((item) => since === undefined || Date.parse(String(item.lastUpdateTime)) >= since);
  const slice = pageSlice(all.length, page, state.incontact.quirks.pageCap);
  const fields = fieldsParam(req.query);
  const items = all
    .slice(slice.from, slice.from + slice.count)
    .map((item) => projectFields(item, fields));
  return list(state, req, {
    arrayKey: 'agentStates',
    items,
    emptyIsNoContent: true,
    meta: {
      ...pageMeta({
        total: all.length,
        page,
        returned: items.length,
        self: requestUrl(req.headers.host, req.path, req.query),
        quirks: state.incontact.quirks,
      }),
      lastPollTime: new Date(state.now()).toISOString(),
    },
  });
}
