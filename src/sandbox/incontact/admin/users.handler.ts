import { json, type HandlerResult, type SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { IC_AGENTS } from '../ic-fixtures';
import { userIdOf, userRecord } from './agent-records';

/**
 * `GET /user-management/v3/users/{userId}` (on the API host, not under /inContactAPI): the
 * UserHub user, `{user}`. An unknown id is a 404 in the family's Spring-style error shape.
 */
export function handleIcUserGet(state: SandboxState, req: SandboxRequest): HandlerResult {
  const userId = (req.params.userId ?? '').toLowerCase();
  const agent = IC_AGENTS.find((a) => userIdOf(a) === userId);
  if (!agent)
    return json(404, {
      timestamp: new Date(state.now()).toISOString(),
      status: 404,
      error: 'Not Found',
      message: `User ${req.params.userId} not found`,
      path: req.path,
    });
  return json(200, { user: userRecord(state, agent) });
}
