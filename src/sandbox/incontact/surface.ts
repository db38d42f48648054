import type { TerminalFault } from '../faults';
import { json, type HandlerResult, type JsonResult, type SandboxRequest } from '../sandbox-http';
import type { SandboxState } from '../sandbox-state';
import type { Surface } from '../route-table';
import { acdError, finishAcd } from './acd-response';
import { oauthError } from './auth/token.handler';
import { verifyIncontactBearer } from './auth/bearer';

/**
 * The parts of answering that depend on the inContact family a route belongs to: who may call
 * it, how an error is written, and the last encoding step. The generic server stays unaware.
 */

export type IncontactSurface = Exclude<Surface, 'v2' | 'own'>;

const ACD_ERROR_CODES: Record<number, string> = {
  400: 'InvalidParameter',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
};

export function isIncontactSurface(surface: Surface): surface is IncontactSurface {
  return surface === 'oidc' || surface === 'acd' || surface === 'platform';
}

/** An error in the family's own dialect. */
export function surfaceError(
  surface: IncontactSurface,
  req: SandboxRequest,
  status: number,
  description: string,
): JsonResult {
  switch (surface) {
    case 'oidc':
      return oauthError(status, status === 429 ? 'too_many_requests' : 'server_error', description);
    case 'acd':
      return acdError(status, ACD_ERROR_CODES[status] ?? 'ServerError', description);
    case 'platform':
      // The user-management family answers Spring-style bodies.
      return json(status, {
        timestamp: new Date().toISOString(),
        status,
        error: status === 401 ? 'Unauthorized' : 'Error',
        message: description,
        path: req.path,
      });
  }
}

/** Undefined when the call may proceed; else the 401 to answer. */
export function authorizeIncontact(
  state: SandboxState,
  surface: IncontactSurface,
  req: SandboxRequest,
): JsonResult | undefined {
  if (surface === 'oidc' || verifyIncontactBearer(state, req)) return undefined;
  const result = surfaceError(surface, req, 401, 'Invalid or expired access token');
  result.headers = { ...result.headers, 'WWW-Authenticate': 'Bearer error="invalid_token"' };
  return result;
}

/**
 * Retry-After seconds of an injected fault: as scripted, or for a 429 only when the quirk says
 * real tenants send one (they are not known to do so reliably).
 */
export function incontactRetryAfterS(
  state: SandboxState,
  fault: TerminalFault,
): number | undefined {
  if (fault.retryAfterS !== undefined) return fault.retryAfterS;
  return fault.kind === 'rateLimit' && state.incontact.quirks.retryAfterOn429 ? 1 : undefined;
}

export function finishIncontact(
  state: SandboxState,
  surface: IncontactSurface,
  req: SandboxRequest,
  result: HandlerResult,
): HandlerResult {
  return surface === 'acd' ? finishAcd(state.incontact.quirks, req.headers, result) : result;
}
