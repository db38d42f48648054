import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { ApiScope } from '../config/app-config.types';
import { ApiKeyAuth, ApiProblemResponses } from '../common/openapi/problem-responses.decorator';
import { UPSTREAM_COST_KEY, UpstreamCost } from './rate-limit/request-cost';
import { AuditAction, Scopes } from './scopes.decorator';

export interface RouteAccessOptions {
  /** Scopes the caller's key must hold (all of them). */
  scopes: ApiScope[];
  /** Audit action name, e.g. `status.update`; default Controller.method. */
  audit?: string;
  /** Top-level body fields worth recording in the audit line (small primitives only). */
  auditFields?: string[];
  /** Error statuses documented as problem+json; 401, 403 and 429 (rate limits) always are. */
  problems?: number[];
  /**
   * `unless-cached`: a cached read whose refreshes (no-cache, cache_ttl 0) call CXone; `always`:
   * every request calls CXone. Either counts against the key's lower cache-bypass limit.
   */
  upstream?: UpstreamCost;
}

/**
 * Everything a keyed route declares about access in one decorator: the scopes the guard
 * checks, the audit action, and the OpenAPI security + problem responses that document both.
 */
export function RouteAccess(options: RouteAccessOptions): MethodDecorator {
  const problems = [...new Set([401, 403, 429, ...(options.problems ?? [])])].sort((a, b) => a - b);
  return applyDecorators(
    Scopes(...options.scopes),
    ...(options.audit ? [AuditAction(options.audit, options.auditFields)] : []),
    ...(options.upstream ? [SetMetadata(UPSTREAM_COST_KEY, options.upstream)] : []),
    ApiKeyAuth(),
    ApiProblemResponses(...problems),
  );
}
