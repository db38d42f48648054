import { parseIsoInstant } from '../iso-time';
import type { HandlerResult, SandboxRequest } from '../sandbox-http';
import type { SandboxState } from '../sandbox-state';
import { acdError, renderList, renderObject, type AcdList } from './acd-response';
import type { ParamProblem } from './paging';

/** Request-side helpers shared by the ACD handlers: version, ids, dates, and their 400s. */

export function apiVersion(req: SandboxRequest): number {
  return Number(req.params.apiVersion);
}

/** A 400 naming the parameter, in the ACD error family. */
export function badParam(problem: ParamProblem): HandlerResult {
  return acdError(400, 'InvalidParameter', problem.message);
}

export function isProblem(value: unknown): value is ParamProblem {
  return typeof value === 'object' && value !== null && 'param' in value && 'message' in value;
}

/** A positive integer path id (`agentId`, `skillId`, `teamId`). */
export function pathId(req: SandboxRequest, name: string): number | ParamProblem {
  const raw = req.params[name] ?? '';
  return /^[1-9]\d{0,15}$/.test(raw)
    ? Number(raw)
    : { param: name, message: `${name} must be a positive integer, got "${raw}"` };
}

/**
 * An ISO-8601 date-time query parameter. A `+` offset sent unescaped arrives as a space and is
 * refused, which is the failure real clients met before they sent a literal `Z`.
 */
export function dateParam(
  query: URLSearchParams,
  name: string,
  required: boolean,
): number | undefined | ParamProblem {
  const raw = query.get(name);
  if (raw === null || raw.trim() === '')
    return required ? { param: name, message: `${name} is required` } : undefined;
  const ms = parseIsoInstant(raw);
  return ms === undefined
    ? { param: name, message: `${name} must be an ISO-8601 date-time, got "${raw}"` }
    : ms;
}

/** `startDate`/`endDate`, both required, end after start. */
export function windowParams(
  query: URLSearchParams,
): { startMs: number; endMs: number } | ParamProblem {
  const startMs = dateParam(query, 'startDate', true);
  if (isProblem(startMs)) return startMs;
  const endMs = dateParam(query, 'endDate', true);
  if (isProblem(endMs)) return endMs;
  if (startMs === undefined || endMs === undefined)
    return { param: 'startDate', message: 'startDate and endDate are required' };
  if (endMs <= startMs) return { param: 'endDate', message: 'endDate must be after startDate' };
  return { startMs, endMs };
}

export function list(state: SandboxState, req: SandboxRequest, payload: AcdList): HandlerResult {
  return renderList(state.incontact.quirks, apiVersion(req), payload);
}

export function object(
  state: SandboxState,
  req: SandboxRequest,
  body: Record<string, unknown>,
  status = 200,
): HandlerResult {
  return renderObject(state.incontact.quirks, apiVersion(req), body, status);
}

export function notFound(what: string): HandlerResult {
  return acdError(404, 'NotFound', `${what} not found`);
}
