import type { AgentHistoryRecord, AgentState } from '../agent-history.generator';
import { SANDBOX_FIXTURES } from '../fixtures';
import { maybeHostile } from '../hostile-text';
import { parseIsoInstant } from '../iso-time';
import type { QueueLiveFigures } from '../queue-live.store';
import { QUEUE_METRICS, type QueueMetric } from '../queue-stats.generator';
import { failure, json, type HandlerResult, type SandboxRequest } from '../sandbox-http';
import type { SandboxState } from '../sandbox-state';

const MAX_PAGE_SIZE = 100;

/** Positive integer query parameter; undefined when absent, NaN when malformed. */
function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  return /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
}

function badRequest(message: string): HandlerResult {
  return failure(400, 'bad_request', message);
}

export function handleAgentHistory(state: SandboxState, req: SandboxRequest): HandlerResult {
  const generator = state.history(req.params.agentId);
  if (!generator) return failure(404, 'not_found', `Agent ${req.params.agentId} not found`);
  const startMs = parseIsoInstant(req.query.get('start'));
  const endMs = parseIsoInstant(req.query.get('end'));
  if (startMs === undefined || endMs === undefined)
    return badRequest('start and end are required ISO 8601 timestamps');
  if (endMs <= startMs) return badRequest('end must be after start');
  const page = intParam(req.query, 'page') ?? 1;
  const pageSize = intParam(req.query, 'pageSize') ?? MAX_PAGE_SIZE;
  if (!(page >= 1)) return badRequest('page must be an integer >= 1');
  if (!(pageSize >= 1 && pageSize <= MAX_PAGE_SIZE))
    return badRequest(`pageSize must be an integer between 1 and ${MAX_PAGE_SIZE}`);
  const window = generator.window(startMs, endMs);
  const from = (page - 1) * pageSize;
  const count = Math.max(0, Math.min(pageSize, window.count - from));
  const hostileOn = state.incontact.quirks.hostileText;
  const records = Array.from({ length: count }, (_, i) =>
    withHostileStates(hostileOn, generator.record(window.firstSlot + from + i)),
  );
  return json(200, { records, totalRecords: window.count, page, pageSize });
}

function listParam(query: URLSearchParams, name: string): string[] {
  return (query.get(name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function handleQueueStats(state: SandboxState, req: SandboxRequest): HandlerResult {
  const granularity = req.query.get('granularity');
  if (granularity !== 'REAL_TIME') return badRequest('granularity must be exactly REAL_TIME');
  const metrics = listParam(req.query, 'metricTypes');
  const unknownMetric = metrics.find((m) => !QUEUE_METRICS.includes(m as QueueMetric));
  if (unknownMetric !== undefined)
    return badRequest(`Unknown metricType ${unknownMetric}; allowed: ${QUEUE_METRICS.join(', ')}`);
  const ids = listParam(req.query, 'queueIds');
  const unknownQueue = ids.find((id) => !SANDBOX_FIXTURES.queues.some((q) => q.id === id));
  if (unknownQueue !== undefined)
    return failure(404, 'not_found', `Queue ${unknownQueue} not found`);
  const queues =
    ids.length > 0
      ? [...new Set(ids)].flatMap((id) => SANDBOX_FIXTURES.queues.filter((q) => q.id === id))
      : SANDBOX_FIXTURES.queues;
  const selected = (metrics.length > 0 ? metrics : QUEUE_METRICS) as QueueMetric[];
  const timestamp = new Date(state.now()).toISOString();
  const data = queues.map((queue) => {
    const entry = state.queues.find(queue.id);
    const figures = entry ? state.queues.figures(entry) : undefined;
    return {
      queue: { id: queue.id, name: maybeHostile(state.incontact.quirks.hostileText, queue.name) },
      metrics: selected.map((name) => ({
        name,
        values: [{ value: figures ? v2Metric(figures, name) : 0, timestamp }],
      })),
    };
  });
  return json(200, { data });
}

/** A v2 metric from the shared live figures (the same numbers the inContact feed reports). */
function v2Metric(figures: QueueLiveFigures, metric: QueueMetric): number {
  switch (metric) {
    case 'waitTime':
      return figures.waitTime;
    case 'agentCount':
      return figures.agentsAvailable;
    case 'conversationCount':
      return figures.contactsActive;
    case 'abandonCount':
      return figures.abandonCount;
    case 'serviceLevel':
      return figures.serviceLevel;
  }
}

/** State names and reasons as hostile text (`hostileText`), ids untouched. */
function withHostileStates(on: boolean, record: AgentHistoryRecord): AgentHistoryRecord {
  if (!on) return record;
  const state = (s: AgentState): AgentState => ({
    ...s,
    name: maybeHostile(true, s.name),
    ...(s.reason === undefined ? {} : { reason: maybeHostile(true, s.reason) }),
  });
  return { ...record, state: state(record.state), previousState: state(record.previousState) };
}
