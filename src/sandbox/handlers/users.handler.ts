import {
  failure,
  isRecord,
  json,
  parseJson,
  type HandlerResult,
  type SandboxRequest,
} from '../sandbox-http';
import { maybeHostile } from '../hostile-text';
import type { SandboxState } from '../sandbox-state';
import { AGENT_STATUSES, PAUSE_REASONS, type AgentStatus, type StatusChange } from '../users.store';

function notFound(userId: string): HandlerResult {
  return failure(404, 'not_found', `User ${userId} not found`);
}

export function handleUserGet(state: SandboxState, req: SandboxRequest): HandlerResult {
  const user = state.users.get(req.params.userId);
  if (!user) return notFound(req.params.userId);
  const on = state.incontact.quirks.hostileText;
  return json(200, {
    ...user,
    firstName: maybeHostile(on, user.firstName),
    lastName: maybeHostile(on, user.lastName),
  });
}

/** Validates a status body like the upstream: returns the change or the first problem found. */
export function parseStatusChange(body: unknown): StatusChange | string {
  if (!isRecord(body)) return 'Body must be a JSON object';
  const { status, pauseReason, wrapUpCode, directiveFlags } = body;
  if (!AGENT_STATUSES.includes(status as AgentStatus))
    return `status must be one of ${AGENT_STATUSES.join(', ')}`;
  if (pauseReason !== undefined && pauseReason !== null) {
    if (!PAUSE_REASONS.includes(pauseReason as (typeof PAUSE_REASONS)[number]))
      return `Invalid pause reason: ${JSON.stringify(pauseReason)}. Must be one of ${PAUSE_REASONS.join(', ')}`;
  } else if (status === 'Break') return 'Break status requires a valid pauseReason';
  if (wrapUpCode !== undefined && wrapUpCode !== null && typeof wrapUpCode !== 'string')
    return 'wrapUpCode must be a string or null';
  if (
    !isRecord(directiveFlags) ||
    typeof directiveFlags.autoAvailable !== 'boolean' ||
    typeof directiveFlags.respectWrapUp !== 'boolean'
  )
    return 'directiveFlags must be {autoAvailable: boolean, respectWrapUp: boolean}';
  return {
    status: status as AgentStatus,
    pauseReason: (pauseReason as string | null | undefined) ?? null,
    wrapUpCode: wrapUpCode ?? null,
    respectWrapUp: directiveFlags.respectWrapUp,
  };
}

export function handleUserStatus(state: SandboxState, req: SandboxRequest): HandlerResult {
  const { userId } = req.params;
  if (!state.users.get(userId)) return notFound(userId);
  const body = parseJson(req.body);
  if (!body.ok) return failure(400, 'bad_request', 'Body is not valid JSON');
  const change = parseStatusChange(body.value);
  if (typeof change === 'string') return failure(400, 'bad_request', change);
  const result = state.users.setStatus(userId, change);
  switch (result.kind) {
    case 'ok':
      return json(200, result.body);
    case 'notFound':
      return notFound(userId);
    case 'wrapUpActive':
      return failure(409, 'conflict', 'wrap-up active');
  }
}
