import {
  isRecord,
  json,
  parseJson,
  type HandlerResult,
  type SandboxRequest,
} from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { acdError, renderObject } from '../acd-response';
import { apiVersion, badParam, isProblem, notFound, pathId } from '../acd-request';
import { icAgent, type IcAgent } from '../ic-fixtures';
import { agentLiveState } from '../realtime/agent-live';
import { teamCodes } from '../unavailable-codes';
import { agentByIdOrUser, agentRecord } from './agent-records';

/** `GET /agents/{agentId|userId}` → `{agents:[one]}` (an array even for one agent). */
export function handleIcAgentGet(state: SandboxState, req: SandboxRequest): HandlerResult {
  const agent = agentByIdOrUser(req.params.agentId ?? '');
  if (!agent) return notFound(`Agent ${req.params.agentId}`);
  return renderObject(state.incontact.quirks, apiVersion(req), {
    agents: [agentRecord(state, agent)],
  });
}

/** `state` and `outStateId` from the query (the spec), else from a JSON body (seen at v12). */
function stateParams(req: SandboxRequest): { state?: string; outStateId?: string } {
  const fromQuery = {
    state: req.query.get('state') ?? undefined,
    outStateId: req.query.get('outStateId') ?? undefined,
  };
  if (fromQuery.state !== undefined) return fromQuery;
  const body = parseJson(req.body);
  if (!body.ok || !isRecord(body.value)) return {};
  const { state, outStateId } = body.value;
  return {
    state: typeof state === 'string' ? state : undefined,
    outStateId:
      typeof outStateId === 'number' || typeof outStateId === 'string'
        ? String(outStateId)
        : undefined,
  };
}

function activeAgent(req: SandboxRequest): IcAgent | HandlerResult {
  const agentId = pathId(req, 'agentId');
  if (isProblem(agentId)) return badParam(agentId);
  return icAgent(agentId) ?? notFound(`Agent ${agentId}`);
}

const isAgent = (value: IcAgent | HandlerResult): value is IcAgent => 'agentId' in value;

/**
 * `POST /agents/{agentId}/state?state=Available|Unavailable[&outStateId=]`. An `outStateId` must
 * be an active code of the agent's team. The new state shows on `/agents/states` at once.
 */
export function handleIcAgentSetState(state: SandboxState, req: SandboxRequest): HandlerResult {
  const agent = activeAgent(req);
  if (!isAgent(agent)) return agent;
  const { quirks } = state.incontact;
  const params = stateParams(req);
  if (params.state !== 'Available' && params.state !== 'Unavailable')
    return badParam({
      param: 'state',
      message: `state must be Available or Unavailable, got "${params.state ?? ''}"`,
    });
  if (!agent.isActive) return acdError(409, 'Conflict', `Agent ${agent.agentId} is inactive`);
  if (
    quirks.stateChangeLoggedOut === 'reject' &&
    agentLiveState(state, agent).agentStateName === 'LoggedOut'
  )
    return acdError(409, 'Conflict', `Agent ${agent.agentId} is not logged in`);
  let outStateId = 0;
  if (
    params.state === 'Unavailable' &&
    params.outStateId !== undefined &&
    params.outStateId !== ''
  ) {
    const valid = teamCodes(agent.teamId).filter((c) => c.isActive);
    const code = valid.find((c) => String(c.id) === params.outStateId);
    if (!code)
      return badParam({
        param: 'outStateId',
        message: `outStateId ${params.outStateId} is not an active unavailable code of team ${agent.teamId}`,
      });
    outStateId = code.id;
  }
  state.incontact.setStates.set(agent.agentId, {
    name: params.state,
    outStateId,
    atMs: state.now(),
  });
  return emptySuccess(quirks.stateChangeStatus);
}

/** `POST /agents/{agentId}/logout` → 202; the agent reads LoggedOut from then on. */
export function handleIcAgentLogout(state: SandboxState, req: SandboxRequest): HandlerResult {
  const agent = activeAgent(req);
  if (!isAgent(agent)) return agent;
  state.incontact.setStates.set(agent.agentId, {
    name: 'LoggedOut',
    outStateId: 0,
    atMs: state.now(),
  });
  return emptySuccess(202);
}

/** The answer has no schema: an empty JSON object, or nothing at all for a 204. */
function emptySuccess(status: number): HandlerResult {
  if (status === 204)
    return { kind: 'text', status, text: '', headers: { icStatusDescription: 'Success' } };
  return json(status, {}, { icStatusDescription: 'Success' });
}
