import type { HandlerResult, SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { badParam, isProblem, list, notFound, pathId, windowParams } from '../acd-request';
import { BUSINESS_UNIT_ID, IC_AGENTS, icAgent, type IcAgent } from '../ic-fixtures';
import { pageMeta, pageSlice, parsePageRequest, requestUrl, type PageRequest } from '../paging';
import { fieldsParam, projectFields } from '../values';
import { IcStateHistory } from './state-history.rows';

/** The agent's history in the inContact vocabulary; undefined for agents without one. */
function historyOf(state: SandboxState, agent: IcAgent): IcStateHistory | undefined {
  const generator = agent.v2Id === undefined ? undefined : state.history(agent.v2Id);
  return generator && new IcStateHistory(state.options.seed, generator, agent);
}

interface Part {
  history: IcStateHistory;
  firstSlot: number;
  count: number;
  /** Under `historyStraddle: clip`, the window start the open state is cut off at. */
  clipAtMs?: number;
}

/** The rows [from, from + count) of the agents' windows laid end to end (agentId order). */
function pageRows(state: SandboxState, parts: Part[], from: number, count: number) {
  const rows: Record<string, unknown>[] = [];
  let offset = 0;
  for (const part of parts) {
    const start = Math.max(from - offset, 0);
    const take = Math.min(part.count - start, count - rows.length);
    if (take > 0)
      rows.push(
        ...part.history.rows(part.firstSlot + start, take, state.incontact.quirks, part.clipAtMs),
      );
    offset += part.count;
    if (rows.length >= count) break;
  }
  return rows;
}

function answer(
  state: SandboxState,
  req: SandboxRequest,
  agents: IcAgent[],
  window: { startMs: number; endMs: number },
  page: PageRequest,
): HandlerResult {
  const { quirks } = state.incontact;
  const parts: Part[] = [];
  for (const agent of agents) {
    const history = historyOf(state, agent);
    if (!history) continue;
    const w = history.window(window.startMs, window.endMs, quirks.historyStraddle);
    if (w.count > 0) parts.push({ history, ...w });
  }
  const total = parts.reduce((sum, p) => sum + p.count, 0);
  const slice = pageSlice(total, page, quirks.pageCap);
  const fields = fieldsParam(req.query);
  const items = pageRows(state, parts, slice.from, slice.count).map((row) =>
    projectFields(row, fields),
  );
  return list(state, req, {
    arrayKey: 'agentStateHistory',
    items,
    emptyIsNoContent: true,
    meta: {
      ...pageMeta({
        total,
        page,
        returned: items.length,
        self: requestUrl(req.headers.host, req.path, req.query),
        quirks,
      }),
      businessUnitId: BUSINESS_UNIT_ID,
      lastPollTime: new Date(state.now()).toISOString(),
    },
  });
}

/** `GET /agents/{agentId}/state-history?startDate&endDate[&top&skip&fields]`. */
export function handleIcAgentStateHistory(state: SandboxState, req: SandboxRequest): HandlerResult {
  const agentId = pathId(req, 'agentId');
  if (isProblem(agentId)) return badParam(agentId);
  const agent = icAgent(agentId);
  if (!agent) return notFound(`Agent ${agentId}`);
  const window = windowParams(req.query);
  if (isProblem(window)) return badParam(window);
  const page = parsePageRequest(req.query, state.incontact.quirks.pageCap);
  if (isProblem(page)) return badParam(page);
  return answer(state, req, [agent], window, page);
}

/** `GET /agents/state-history?startDate&endDate[&top&skip&fields]`: every agent, by agentId. */
export function handleIcStateHistory(state: SandboxState, req: SandboxRequest): HandlerResult {
  const window = windowParams(req.query);
  if (isProblem(window)) return badParam(window);
  const page = parsePageRequest(req.query, state.incontact.quirks.pageCap);
  if (isProblem(page)) return badParam(page);
  const agents = [...IC_AGENTS].sort((a, b) => a.agentId - b.agentId);
  return answer(state, req, agents, window, page);
}
