import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { AppError } from '../common/errors/app-error';
import type { ApiScope } from '../config/app-config.types';
import { ApiKeyRegistry, AUTH_CHALLENGE, extractApiKey } from './api-key.registry';
import type { Principal } from './principal';
import type { UpstreamCost } from './rate-limit/request-cost';

/** What a route declares about access (read from its decorators). */
export interface RouteAccessMeta {
  isPublic: boolean;
  scopes: readonly ApiScope[];
  /** Audit action name; Controller.method when the route names none. */
  auditAction: string;
  auditBodyFields?: string[];
  /** What its requests cost upstream, for the per-key cache-bypass limit. */
  upstream?: UpstreamCost;
}

/** What authorising reads of a request: Fastify's, or the replay's view of a raw one. */
export type AuthorizedRequest = Pick<FastifyRequest, 'headers' | 'cxgw'> & {
  raw: Pick<IncomingMessage, 'socket'>;
};

/**
 * The one implementation of "may this request use this route": records the audit action on the
 * request, then (unless public) resolves the API key and checks the route's scopes. Throws
 * AppError UNAUTHENTICATED (401) or FORBIDDEN (403). The global guard calls it for every route;
 * a fast path answering before Nest's pipeline calls the same function, so both decide alike.
 */
export function authorizeRequest(
  request: AuthorizedRequest,
  access: RouteAccessMeta,
  registry: ApiKeyRegistry,
): Principal | undefined {
  request.cxgw = { auditAction: access.auditAction, auditBodyFields: access.auditBodyFields };
  if (access.isPublic) return undefined;
  const key = extractApiKey(request.headers);
  if (!key) {
    throw new AppError(
      'UNAUTHENTICATED',
      'An API key is required: send Authorization: Bearer <key>, X-API-Key: <key>, or HTTP ' +
        'Basic with the key as the password',
      challenge(),
    );
  }
  const principal = registry.resolveOn(request.raw.socket, key);
  if (!principal) throw new AppError('UNAUTHENTICATED', 'The API key is not valid', challenge());
  request.cxgw.principal = principal;
  // Checked without building the list first: this runs on every request, cache hits included.
  if (!hasEveryScope(principal, access.scopes)) {
    const missing = access.scopes.filter((s) => !principal.scopes.includes(s));
    throw new AppError(
      'FORBIDDEN',
      `The API key "${principal.name}" lacks the scope ${missing.join(', ')} required here`,
      { extensions: { requiredScopes: [...access.scopes] } },
    );
  }
  return principal;
}

function hasEveryScope(principal: Principal, scopes: readonly ApiScope[]): boolean {
  for (const scope of scopes) if (!principal.scopes.includes(scope)) return false;
  return true;
}

/** What a 401 carries so Excel and Power BI ask for credentials. */
function challenge(): { headers: Record<string, string> } {
  return { headers: { 'www-authenticate': AUTH_CHALLENGE } };
}
