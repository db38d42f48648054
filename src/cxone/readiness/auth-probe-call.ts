import type { UpstreamRequest } from '../cxone.types';

/**
 * A dialect's cheapest authenticated call: small, read-only, needing no ids the tenant may not
 * have. Readiness sends it to learn whether CXone still accepts our token (a revoked token is
 * only discovered by using it), never to read its answer.
 */
export interface AuthProbeCall {
  /** The request to send; its operation is always `readinessProbe`. */
  request(): UpstreamRequest & { operation: 'readinessProbe'; method: 'GET' };
}
export const AUTH_PROBE_CALL = Symbol('AUTH_PROBE_CALL');
