import { mergeQuirks } from '../incontact/quirks';
import {
  failure,
  isRecord,
  json,
  parseJson,
  type JsonResult,
  type SandboxRequest,
} from '../sandbox-http';
import type { SandboxState } from '../sandbox-state';
import type { QueueEntry } from '../queue-live.store';

/** Control routes over the shared world and the inContact quirks (under /_sandbox, no auth). */

function queueView(state: SandboxState, entry: QueueEntry): Record<string, unknown> {
  return {
    skillId: entry.skill.skillId,
    queueId: entry.skill.queueId ?? null,
    name: entry.skill.skillName,
    changedAt: new Date(entry.changedAtMs).toISOString(),
    figures: state.queues.figures(entry),
  };
}

/** `GET /_sandbox/queues`: every queue's live figures, as both surfaces serve them now. */
export function listQueues(state: SandboxState): JsonResult {
  return json(200, { queues: state.queues.list().map((e) => queueView(state, e)) });
}

/**
 * `POST /_sandbox/queues/{queueId}` (v2 UUID or numeric skill id) with any subset of the live
 * figures: both surfaces answer the new numbers, and skill-activity deltas report the change.
 */
export function setQueue(state: SandboxState, req: SandboxRequest): JsonResult {
  const entry = state.queues.find(req.params.queueId);
  if (!entry) return failure(404, 'not_found', `Queue ${req.params.queueId} not found`);
  const body = parseJson(req.body);
  if (!body.ok || !isRecord(body.value))
    return failure(400, 'bad_request', 'Body must be a JSON object of queue figures');
  const result = state.queues.set(entry, body.value);
  if (Array.isArray(result)) return failure(400, 'bad_request', result.join('; '));
  return json(200, queueView(state, entry));
}

export function getQuirks(state: SandboxState): JsonResult {
  return json(200, { quirks: state.incontact.quirks });
}

/** `POST /_sandbox/quirks` with any subset of the quirks; a bad value is a 400 naming it. */
export function setQuirks(state: SandboxState, req: SandboxRequest): JsonResult {
  const body = parseJson(req.body);
  if (!body.ok) return failure(400, 'bad_request', 'Body is not valid JSON');
  const merged = mergeQuirks(state.incontact.quirks, body.value);
  if (!merged.ok) return failure(400, 'bad_request', merged.message);
  state.incontact.quirks = merged.quirks;
  return getQuirks(state);
}

export function resetQuirks(state: SandboxState): JsonResult {
  state.incontact.resetQuirks();
  return getQuirks(state);
}

/** Control routes with a path parameter: `METHOD /prefix/` → handler of the rest of the path. */
export const PARAM_CONTROL_ROUTES: {
  method: string;
  pattern: RegExp;
  param: string;
  handler: (state: SandboxState, req: SandboxRequest) => JsonResult;
}[] = [{ method: 'POST', pattern: /^\/queues\/([^/]+)$/, param: 'queueId', handler: setQueue }];
